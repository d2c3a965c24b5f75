/**
 * Where backups and the shared space live: the command-line flag wins, then QUIRE_BACKUP /
 * QUIRE_SHARED, then `settings.json` in the user's config dir ($XDG_CONFIG_HOME/quire or ~/.config/quire):
 * `{ "backup": "s3://bucket/prefix", "shared": "s3://bucket/team", "author": "Ada" }`.
 */
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { isNodeError } from './errors.js';

export interface QuireSettings {
  backup?: string;
  shared?: string;
  author?: string;
}

export function settingsFile(env: NodeJS.ProcessEnv = process.env): string {
  const configHome = env.XDG_CONFIG_HOME || path.join(os.homedir(), '.config');
  return path.join(configHome, 'quire', 'settings.json');
}

export async function loadSettings(env: NodeJS.ProcessEnv = process.env): Promise<QuireSettings> {
  const file = settingsFile(env);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (isNodeError(error, 'ENOENT')) return {};
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error(`${file} must hold a JSON object`);
  const settings = parsed as Record<string, unknown>;
  for (const key of ['backup', 'shared', 'author'] as const) {
    if (settings[key] !== undefined && typeof settings[key] !== 'string') throw new Error(`${file}: "${key}" must be a string`);
  }
  return settings as QuireSettings;
}

export async function resolveSettings(flags: QuireSettings, env: NodeJS.ProcessEnv = process.env): Promise<QuireSettings> {
  const file = await loadSettings(env);
  return {
    backup: flags.backup ?? env.QUIRE_BACKUP ?? file.backup,
    shared: flags.shared ?? env.QUIRE_SHARED ?? file.shared,
    author: flags.author ?? env.QUIRE_AUTHOR ?? file.author ?? os.userInfo().username,
  };
}
