/** Shared setup for the history, restore and backup commands: root, settings and the backup services. */
import path from 'node:path';
import { createQuireServices, type QuireServices } from '../server/quire-services.js';
import { ContentsStore } from '../storage/contents-store.js';
import { resolveSettings } from '../storage/settings.js';
import { stringOption, type ParsedArgs } from './cli-args.js';

export const BACKUP_OPTIONS = ['root', 'backup'];

export interface BackupCli {
  store: ContentsStore;
  services: QuireServices & Required<Pick<QuireServices, 'backup' | 'history'>>;
}

export async function openBackup(options: ParsedArgs['options']): Promise<BackupCli> {
  const root = path.resolve(stringOption(options, 'root') ?? process.cwd());
  const settings = await resolveSettings({ backup: stringOption(options, 'backup') });
  if (!settings.backup) throw new Error('no backup location: pass --backup s3://BUCKET/PREFIX, set QUIRE_BACKUP, or add "backup" to settings.json');
  const store = new ContentsStore(root);
  const services = await createQuireServices(store, settings, { timing: { debounceMs: 0 } });
  return { store, services: services as BackupCli['services'] };
}

/** Runs a command body, printing errors as `quire NAME: message` and mapping them to exit code 1. */
export async function reportErrors(name: string, usage: string, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (error) {
    const message = (error as Error).message;
    process.stderr.write(`quire ${name}: ${message}\n${/option|argument|needs/.test(message) ? `${usage}\n` : ''}`);
    return 1;
  }
}
