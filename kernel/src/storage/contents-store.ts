/**
 * The files behind the Jupyter contents API: models for notebooks, files and directories under one
 * root, atomic saves that validate notebooks first, and one checkpoint per file kept in
 * `.ipynb_checkpoints/` like Jupyter Server does.
 */
import { copyFile, mkdir, readFile, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from './atomic-write.js';
import { StorageError, isNodeError } from './errors.js';
import { notebookToText, readNotebookText } from './notebook-format.js';
import { RESERVED_SEGMENTS, RootedPaths, normalizeApiPath } from './safe-path.js';

export type ContentType = 'notebook' | 'file' | 'directory';

export interface ContentsModel {
  name: string;
  path: string;
  type: ContentType;
  writable: boolean;
  created: string;
  last_modified: string;
  size: number | null;
  mimetype: string | null;
  format: 'json' | 'text' | 'base64' | null;
  content: unknown;
}

export interface SaveRequest {
  type?: ContentType;
  format?: 'json' | 'text' | 'base64';
  content?: unknown;
}

export interface CheckpointModel {
  id: string;
  last_modified: string;
}

/** Called after a file was durably written, with its API path and bytes (backup hooks in here). */
export type SavedListener = (apiPath: string, bytes: Buffer) => void;

const CHECKPOINT_ID = 'checkpoint';

export class ContentsStore {
  readonly paths: RootedPaths;
  private readonly listeners: SavedListener[] = [];

  constructor(readonly root: string) {
    this.paths = new RootedPaths(root);
  }

  /** Called after each save, and after a rename of a file, which is then saved under its new path. */
  onSaved(listener: SavedListener): void {
    this.listeners.push(listener);
  }

  async get(apiPath: string, options: { content?: boolean; type?: ContentType; format?: string } = {}): Promise<ContentsModel> {
    const file = await this.paths.resolve(apiPath);
    const info = await statOrNotFound(file, apiPath);
    const wantContent = options.content ?? true;
    const normalized = normalizeApiPath(apiPath);
    if (info.isDirectory()) {
      if (options.type && options.type !== 'directory') throw new StorageError('invalid', `${apiPath || '/'} is a directory, not a ${options.type}`);
      return this.directoryModel(normalized, file, info, wantContent);
    }
    const type: ContentType = options.type === 'file' || !normalized.endsWith('.ipynb') ? 'file' : 'notebook';
    if (options.type === 'directory') throw new StorageError('invalid', `${apiPath} is not a directory`);
    const model = baseModel(normalized, type, info);
    if (!wantContent) return model;
    const bytes = await readFile(file);
    if (type === 'notebook') {
      return { ...model, format: 'json', mimetype: null, content: readNotebookText(bytes.toString('utf8'), normalized) };
    }
    const asText = options.format !== 'base64' && isUtf8(bytes);
    if (options.format === 'text' && !asText) throw new StorageError('invalid', `${apiPath} is not UTF-8 text; ask for format=base64`);
    return {
      ...model,
      format: asText ? 'text' : 'base64',
      mimetype: asText ? 'text/plain' : 'application/octet-stream',
      content: asText ? bytes.toString('utf8') : bytes.toString('base64'),
    };
  }

  private async directoryModel(apiPath: string, dir: string, info: import('node:fs').Stats, wantContent: boolean): Promise<ContentsModel> {
    const model = { ...baseModel(apiPath, 'directory', info), size: null };
    if (!wantContent) return model;
    const entries = await readdir(dir, { withFileTypes: true });
    const children: ContentsModel[] = [];
    for (const entry of entries) {
      if (entry.name.startsWith('.') || RESERVED_SEGMENTS.has(entry.name)) continue;
      const childPath = apiPath ? `${apiPath}/${entry.name}` : entry.name;
      try {
        children.push(await this.get(childPath, { content: false }));
      } catch (error) {
        // A symlink pointing outside the root, or one that is dangling, is not listed.
        if (!(error instanceof StorageError)) throw error;
      }
    }
    return { ...model, format: 'json', content: children };
  }

  /** Writes a model; returns the saved model (without content) and whether the file is new. */
  async save(apiPath: string, request: SaveRequest): Promise<{ model: ContentsModel; created: boolean }> {
    const normalized = normalizeApiPath(apiPath);
    if (!normalized) throw new StorageError('invalid', 'cannot save over the root directory');
    const file = await this.paths.resolve(normalized);
    const existing = await stat(file).catch((error) => (isNodeError(error, 'ENOENT') ? undefined : Promise.reject(error)));
    const type = request.type ?? (normalized.endsWith('.ipynb') ? 'notebook' : 'file');
    if (type === 'directory') {
      if (existing && !existing.isDirectory()) throw new StorageError('conflict', `${normalized} exists and is not a directory`);
      await mkdir(file, { recursive: false }).catch((error) => (isNodeError(error, 'EEXIST') ? undefined : Promise.reject(error)));
      return { model: await this.get(normalized, { content: false }), created: !existing };
    }
    if (existing?.isDirectory()) throw new StorageError('conflict', `${normalized} is a directory`);
    if (request.content === undefined || request.content === null) throw new StorageError('invalid', `no content given for ${normalized}`);
    const bytes = encodeContent(normalized, type, request);
    await mkdir(path.dirname(file), { recursive: true });
    if (existing && !(await this.hasCheckpoint(normalized))) await this.createCheckpoint(normalized);
    await writeFileAtomic(file, bytes);
    for (const listener of this.listeners) listener(normalized, bytes);
    return { model: await this.get(normalized, { content: false, type: type === 'notebook' ? 'notebook' : 'file' }), created: !existing };
  }

  /** Creates `Untitled.ipynb`, `Untitled1.txt`, `Untitled Folder`… in a directory, or copies a file. */
  async createUntitled(dirPath: string, options: { type?: ContentType; ext?: string; copyFrom?: string }): Promise<ContentsModel> {
    const dir = normalizeApiPath(dirPath);
    const dirInfo = await statOrNotFound(await this.paths.resolve(dir), dir);
    if (!dirInfo.isDirectory()) throw new StorageError('invalid', `${dir} is not a directory`);
    if (options.copyFrom) {
      const source = normalizeApiPath(options.copyFrom);
      const ext = path.extname(source);
      const name = await this.freeName(dir, `${path.basename(source, ext)}-Copy`, ext);
      const target = await this.paths.resolve(join(dir, name));
      await copyFile(await this.paths.resolve(source), target);
      return this.get(join(dir, name), { content: false });
    }
    const type = options.type ?? (options.ext === '.ipynb' ? 'notebook' : 'file');
    if (type === 'directory') {
      const name = await this.freeName(dir, 'Untitled Folder', '');
      return (await this.save(join(dir, name), { type: 'directory' })).model;
    }
    const ext = type === 'notebook' ? '.ipynb' : (options.ext ?? '.txt');
    const name = await this.freeName(dir, 'Untitled', ext.startsWith('.') || ext === '' ? ext : `.${ext}`);
    const content = type === 'notebook' ? emptyNotebook() : '';
    return (await this.save(join(dir, name), { type, format: type === 'notebook' ? 'json' : 'text', content })).model;
  }

  async rename(from: string, to: string): Promise<ContentsModel> {
    const source = await this.paths.resolve(from);
    const target = await this.paths.resolve(to);
    await statOrNotFound(source, from);
    if (await stat(target).then(() => true, () => false)) throw new StorageError('conflict', `${normalizeApiPath(to)} already exists`);
    await mkdir(path.dirname(target), { recursive: true });
    await rename(source, target);
    const checkpoint = await this.checkpointFile(from);
    await rename(checkpoint, await this.checkpointFile(to)).catch((error) => (isNodeError(error, 'ENOENT') ? undefined : Promise.reject(error)));
    // A notebook under a new name is new to whatever tracks saves by path (backups): tell them, for
    // each file a renamed folder holds as well.
    if (this.listeners.length > 0) {
      for (const relative of await filesUnder(target)) {
        const bytes = await readFile(path.join(target, relative));
        const apiPath = normalizeApiPath(relative ? `${normalizeApiPath(to)}/${relative.split(path.sep).join('/')}` : to);
        for (const listener of this.listeners) listener(apiPath, bytes);
      }
    }
    return this.get(to, { content: false });
  }

  async delete(apiPath: string): Promise<void> {
    const normalized = normalizeApiPath(apiPath);
    if (!normalized) throw new StorageError('forbidden', 'cannot delete the root directory');
    const file = await this.paths.resolve(normalized);
    await statOrNotFound(file, normalized);
    await rm(file, { recursive: true });
    await rm(await this.checkpointFile(normalized), { force: true });
  }

  private async checkpointFile(apiPath: string): Promise<string> {
    const file = await this.paths.resolve(apiPath);
    const ext = path.extname(file);
    return path.join(path.dirname(file), '.ipynb_checkpoints', `${path.basename(file, ext)}-${CHECKPOINT_ID}${ext}`);
  }

  private async hasCheckpoint(apiPath: string): Promise<boolean> {
    return stat(await this.checkpointFile(apiPath)).then(() => true, () => false);
  }

  async listCheckpoints(apiPath: string): Promise<CheckpointModel[]> {
    await statOrNotFound(await this.paths.resolve(apiPath), apiPath);
    const info = await stat(await this.checkpointFile(apiPath)).catch((error) => (isNodeError(error, 'ENOENT') ? undefined : Promise.reject(error)));
    return info ? [{ id: CHECKPOINT_ID, last_modified: info.mtime.toISOString() }] : [];
  }

  async createCheckpoint(apiPath: string): Promise<CheckpointModel> {
    const file = await this.paths.resolve(apiPath);
    const bytes = await readFile(file).catch((error) => (isNodeError(error, 'ENOENT') ? Promise.reject(notFound(apiPath)) : Promise.reject(error)));
    const checkpoint = await this.checkpointFile(apiPath);
    await mkdir(path.dirname(checkpoint), { recursive: true });
    await writeFileAtomic(checkpoint, bytes);
    return { id: CHECKPOINT_ID, last_modified: (await stat(checkpoint)).mtime.toISOString() };
  }

  async restoreCheckpoint(apiPath: string, id: string): Promise<void> {
    if (id !== CHECKPOINT_ID) throw new StorageError('not-found', `no checkpoint '${id}' for ${apiPath}`);
    const checkpoint = await this.checkpointFile(apiPath);
    const bytes = await readFile(checkpoint).catch((error) =>
      isNodeError(error, 'ENOENT') ? Promise.reject(new StorageError('not-found', `no checkpoint '${id}' for ${apiPath}`)) : Promise.reject(error),
    );
    await writeFileAtomic(await this.paths.resolve(apiPath), bytes);
    for (const listener of this.listeners) listener(normalizeApiPath(apiPath), bytes);
  }

  async deleteCheckpoint(apiPath: string, id: string): Promise<void> {
    if (id !== CHECKPOINT_ID || !(await this.hasCheckpoint(apiPath))) throw new StorageError('not-found', `no checkpoint '${id}' for ${apiPath}`);
    await rm(await this.checkpointFile(apiPath));
  }

  private async freeName(dir: string, stem: string, ext: string): Promise<string> {
    for (let i = 0; i < 10_000; i++) {
      const name = `${stem}${i === 0 ? '' : i}${ext}`;
      if (!(await stat(await this.paths.resolve(join(dir, name))).then(() => true, () => false))) return name;
    }
    throw new StorageError('conflict', `no free name for ${stem}${ext} in ${dir || '/'}`);
  }
}

function join(dir: string, name: string): string {
  return dir ? `${dir}/${name}` : name;
}

function notFound(apiPath: string): StorageError {
  return new StorageError('not-found', `no such file or directory: ${apiPath || '/'}`);
}

async function statOrNotFound(file: string, apiPath: string): Promise<import('node:fs').Stats> {
  try {
    return await stat(file);
  } catch (error) {
    if (isNodeError(error, 'ENOENT')) throw notFound(apiPath);
    throw error;
  }
}

function baseModel(apiPath: string, type: ContentType, info: import('node:fs').Stats): ContentsModel {
  return {
    name: path.posix.basename(apiPath),
    path: apiPath,
    type,
    writable: true,
    created: info.birthtime.toISOString(),
    last_modified: info.mtime.toISOString(),
    size: info.size,
    mimetype: null,
    format: null,
    content: null,
  };
}

function encodeContent(apiPath: string, type: ContentType, request: SaveRequest): Buffer {
  if (type === 'notebook') {
    const notebook = typeof request.content === 'string' ? parseJson(request.content, apiPath) : request.content;
    return Buffer.from(notebookToText(notebook, apiPath), 'utf8');
  }
  if (typeof request.content !== 'string') throw new StorageError('invalid', `content of ${apiPath} must be a string for format ${request.format ?? 'text'}`);
  if (request.format === 'base64') return Buffer.from(request.content, 'base64');
  return Buffer.from(request.content, 'utf8');
}

function parseJson(text: string, apiPath: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new StorageError('invalid', `content of ${apiPath} is not valid JSON: ${(error as Error).message}`);
  }
}

function isUtf8(bytes: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

export function emptyNotebook(): Record<string, unknown> {
  return { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [] };
}

/**
 * Paths relative to `target` of the files it holds ('' when it is a file itself), checkpoints and
 * other hidden entries left out, as the contents API leaves them out of listings.
 */
async function filesUnder(target: string): Promise<string[]> {
  if ((await stat(target)).isFile()) return [''];
  const entries = await readdir(target, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(target, path.join(e.parentPath, e.name)))
    .filter((relative) => !relative.split(path.sep).some((part) => part.startsWith('.')));
}
