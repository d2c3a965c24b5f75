/**
 * A save killed between writing its temp file and renaming it (writeFileAtomic) leaves `.<name>.<pid>.<hex>.tmp`
 * beside the target. At startup the server removes those whose writer is gone: notebooks' folders would
 * otherwise collect them, and the backup queue would keep half-written snapshots forever.
 */
import { readdir, unlink } from 'node:fs/promises';
import path from 'node:path';
import { isNodeError } from './errors.js';
import { isProcessAlive } from './process-alive.js';

const TEMP_FILE = /^\..+\.(\d+)\.[0-9a-f]{8}\.tmp$/;
/** Folders never searched: they are not the notebooks' and can be huge. */
const SKIPPED_FOLDERS = new Set(['node_modules', '.git']);
/** Bounds the walk on a root that is a whole home folder. */
const MAX_DEPTH = 8;

/** Removes orphaned temp files under `root`; returns the paths removed. */
export async function removeOrphanedTempFiles(root: string): Promise<string[]> {
  const removed: string[] = [];
  const walk = async (dir: string, depth: number): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      // A folder removed or unreadable meanwhile holds nothing this server wrote.
      if (isNodeError(error, 'ENOENT') || isNodeError(error, 'EACCES')) return;
      throw error;
    }
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (depth < MAX_DEPTH && !SKIPPED_FOLDERS.has(entry.name)) await walk(full, depth + 1);
        continue;
      }
      const match = TEMP_FILE.exec(entry.name);
      if (!entry.isFile() || !match || (Number(match[1]) === process.pid || isProcessAlive(Number(match[1])))) continue;
      await unlink(full).catch((error: unknown) => {
        if (!isNodeError(error, 'ENOENT')) throw error;
      });
      removed.push(full);
    }
  };
  await walk(root, 0);
  return removed;
}
