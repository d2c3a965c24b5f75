/**
 * The version history of backed-up notebooks in S3: list versions, read one, diff two cell by cell,
 * and restore one (the current local content is recorded as a version first).
 */
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { readFile } from 'node:fs/promises';
import { contentHash } from './backup-queue.js';
import { historyKey, historyPrefix, type BackupService } from './backup-service.js';
import type { ContentsStore } from './contents-store.js';
import { StorageError, isNodeError } from './errors.js';
import { readNotebookText } from './notebook-format.js';
import { diffNotebooks, type CellChange } from './notebook-diff.js';
import { isNotFound } from './s3-client.js';
import { normalizeApiPath } from './safe-path.js';

export interface NotebookVersion {
  /** The file name under the notebook's history folder: `<UTC time>-<hash>.ipynb`. */
  id: string;
  savedAt: string;
  hash: string;
  size: number;
}

const VERSION_ID = /^(\d{8}T\d{9}Z)-([0-9a-f]{16})\.ipynb$/;

function versionTime(compact: string): string {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})Z$/.exec(compact)!;
  return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.${m[7]}Z`;
}

export class NotebookHistory {
  constructor(
    private readonly backup: BackupService,
    private readonly store: ContentsStore,
  ) {}

  async list(apiPath: string): Promise<NotebookVersion[]> {
    const path = normalizeApiPath(apiPath);
    const prefix = historyPrefix(this.backup.location, path);
    const versions: NotebookVersion[] = [];
    let token: string | undefined;
    do {
      const page = await this.backup.client.send(new ListObjectsV2Command({ Bucket: this.backup.location.bucket, Prefix: prefix, ContinuationToken: token }));
      for (const object of page.Contents ?? []) {
        const id = object.Key!.slice(prefix.length);
        const match = VERSION_ID.exec(id);
        if (match) versions.push({ id, savedAt: versionTime(match[1]), hash: match[2], size: object.Size ?? 0 });
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return versions.sort((a, b) => a.id.localeCompare(b.id));
  }

  /** The text of a version; `current` is the local file. A version id may be given by unique prefix. */
  async read(apiPath: string, version: string): Promise<string> {
    const path = normalizeApiPath(apiPath);
    if (version === 'current') return readFile(await this.store.paths.resolve(path), 'utf8').catch((error) => {
      throw isNodeError(error, 'ENOENT') ? new StorageError('not-found', `no local file ${path}`) : error;
    });
    const id = await this.resolveId(path, version);
    try {
      const object = await this.backup.client.send(new GetObjectCommand({ Bucket: this.backup.location.bucket, Key: historyPrefix(this.backup.location, path) + id }));
      return await object.Body!.transformToString('utf8');
    } catch (error) {
      if (isNotFound(error)) throw new StorageError('not-found', `no version ${version} of ${path}`);
      throw error;
    }
  }

  private async resolveId(path: string, version: string): Promise<string> {
    if (VERSION_ID.test(version)) return version;
    const matches = (await this.list(path)).filter((v) => v.id.startsWith(version) || v.hash.startsWith(version));
    if (matches.length === 1) return matches[0].id;
    throw new StorageError(matches.length ? 'invalid' : 'not-found', matches.length ? `version '${version}' of ${path} is ambiguous (${matches.length} match)` : `no version '${version}' of ${path}`);
  }

  async diff(apiPath: string, from: string, to: string): Promise<CellChange[]> {
    const [before, after] = await Promise.all([this.read(apiPath, from), this.read(apiPath, to)]);
    return diffNotebooks(readNotebookText(before, `${apiPath}@${from}`), readNotebookText(after, `${apiPath}@${to}`));
  }

  /** Puts a version back as the local file; the content it replaces is stored as a version first. */
  async restore(apiPath: string, version: string): Promise<{ restored: string; previous?: string }> {
    const path = normalizeApiPath(apiPath);
    const text = await this.read(path, version);
    const notebook = readNotebookText(text, `${path}@${version}`);
    let previous: string | undefined;
    const current = await readFile(await this.store.paths.resolve(path)).catch((error) => (isNodeError(error, 'ENOENT') ? undefined : Promise.reject(error)));
    if (current) {
      const savedAt = new Date().toISOString();
      const hash = contentHash(current);
      const key = historyKey(this.backup.location, path, savedAt, hash);
      await this.backup.client.send(new PutObjectCommand({ Bucket: this.backup.location.bucket, Key: key, Body: current, ContentType: 'application/x-ipynb+json' }));
      previous = key.slice(historyPrefix(this.backup.location, path).length);
    }
    await this.store.save(path, { type: 'notebook', format: 'json', content: notebook });
    return { restored: await this.resolveId(path, version), previous };
  }
}
