/**
 * Builds the backup, history and shared-space services from resolved settings, and hooks backups
 * into saves. Used by `quire serve` and by the history/restore/backup commands alike.
 */
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { BackupService, type BackupTiming } from '../storage/backup-service.js';
import type { ContentsStore } from '../storage/contents-store.js';
import { readNotebookText } from '../storage/notebook-format.js';
import { NotebookHistory } from '../storage/notebook-history.js';
import { createS3Client } from '../storage/s3-client.js';
import { parseS3Url } from '../storage/s3-location.js';
import { RESERVED_SEGMENTS } from '../storage/safe-path.js';
import type { QuireSettings } from '../storage/settings.js';
import { SharedSpace } from '../storage/shared-space.js';

export interface QuireServices {
  backup?: BackupService;
  history?: NotebookHistory;
  shared?: SharedSpace;
  close(): Promise<void>;
}

export function backupStateDir(root: string): string {
  return path.join(root, '.quire', 'backup');
}

export async function createQuireServices(
  store: ContentsStore,
  settings: QuireSettings,
  options: { timing?: Partial<BackupTiming>; log?: (line: string) => void; env?: NodeJS.ProcessEnv; watchSaves?: boolean } = {},
): Promise<QuireServices> {
  const client = settings.backup || settings.shared ? createS3Client(options.env) : undefined;
  let backup: BackupService | undefined;
  let history: NotebookHistory | undefined;
  if (settings.backup && client) {
    backup = new BackupService({ client, location: parseS3Url(settings.backup), stateDir: backupStateDir(store.root), timing: options.timing, log: options.log });
    history = new NotebookHistory(backup, store);
    if (options.watchSaves !== false) {
      store.onSaved((apiPath, bytes) => {
        if (!apiPath.endsWith('.ipynb')) return;
        backup!.enqueue(apiPath, bytes).catch((error: Error) => (options.log ?? console.error)(`could not queue the backup of ${apiPath}: ${error.message}`));
      });
    }
    await backup.start();
  }
  const shared = settings.shared && client ? new SharedSpace(client, parseS3Url(settings.shared), store, settings.author ?? 'unknown') : undefined;
  return {
    backup,
    history,
    shared,
    async close() {
      await backup?.close();
      client?.destroy();
    },
  };
}

/** A notebook's current file, validated, so a broken file is never backed up as good. */
export async function localNotebookBytes(store: ContentsStore, apiPath: string): Promise<Buffer> {
  const bytes = await readFile(await store.paths.resolve(apiPath));
  readNotebookText(bytes.toString('utf8'), apiPath);
  return bytes;
}

/** Queues one notebook's current file. */
export async function backupFile(store: ContentsStore, backup: BackupService, apiPath: string): Promise<void> {
  await backup.enqueue(apiPath, await localNotebookBytes(store, apiPath));
}

/** Queues every notebook under the root; returns their paths. */
export async function backupAll(store: ContentsStore, backup: BackupService): Promise<string[]> {
  const found: string[] = [];
  const walk = async (dir: string, prefix: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('.') || RESERVED_SEGMENTS.has(entry.name)) continue;
      const apiPath = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await walk(path.join(dir, entry.name), apiPath);
      else if (entry.isFile() && entry.name.endsWith('.ipynb')) found.push(apiPath);
    }
  };
  await walk(store.root, '');
  for (const apiPath of found) await backupFile(store, backup, apiPath);
  return found;
}
