/**
 * A shared space: an S3 prefix a team points at. Notebooks there can be listed, opened read-only,
 * forked into the local root, published from it (author and time recorded in the notebook's
 * `metadata.quire.published`; each published copy is also kept under `.history/`), and unpublished
 * (the removed copy stays under `.history/` too, so nothing published is ever lost).
 */
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { readFile } from 'node:fs/promises';
import { contentHash } from './backup-queue.js';
import { historyKey } from './backup-service.js';
import type { ContentsStore } from './contents-store.js';
import { StorageError } from './errors.js';
import { notebookToText, readNotebookText, type Notebook } from './notebook-format.js';
import { isNotFound } from './s3-client.js';
import { formatS3Url, keyUnder, type S3Location } from './s3-location.js';
import { normalizeApiPath } from './safe-path.js';

export interface SharedNotebook {
  path: string;
  size: number;
  lastModified: string;
  etag?: string;
}

export class SharedSpace {
  constructor(
    private readonly client: S3Client,
    readonly location: S3Location,
    private readonly store: ContentsStore,
    private readonly author: string,
  ) {}

  async list(): Promise<SharedNotebook[]> {
    const prefix = this.location.prefix ? `${this.location.prefix}/` : '';
    const notebooks: SharedNotebook[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(new ListObjectsV2Command({ Bucket: this.location.bucket, Prefix: prefix, ContinuationToken: token }));
      for (const object of page.Contents ?? []) {
        const path = object.Key!.slice(prefix.length);
        if (!path.endsWith('.ipynb') || path.split('/').some((s) => s.startsWith('.')) || /\.conflict-[^/]*\.ipynb$/.test(path)) continue;
        notebooks.push({ path, size: object.Size ?? 0, lastModified: (object.LastModified ?? new Date(0)).toISOString(), etag: object.ETag });
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return notebooks.sort((a, b) => a.path.localeCompare(b.path));
  }

  /** A shared notebook as a read-only contents model. */
  async open(sharedPath: string): Promise<Record<string, unknown>> {
    const path = normalizeApiPath(sharedPath);
    const notebook = await this.fetch(path);
    const location = `${formatS3Url(this.location)}/${path}`;
    return { name: path.split('/').at(-1), path, type: 'notebook', writable: false, format: 'json', mimetype: null, content: notebook, shared: true, location };
  }

  private async fetch(path: string): Promise<Notebook> {
    return readNotebookText(Buffer.from((await this.fetchBytes(path)).bytes).toString('utf8'), `shared ${path}`);
  }

  private async fetchBytes(path: string): Promise<{ bytes: Uint8Array; etag?: string }> {
    try {
      const object = await this.client.send(new GetObjectCommand({ Bucket: this.location.bucket, Key: keyUnder(this.location, path) }));
      return { bytes: await object.Body!.transformToByteArray(), etag: object.ETag };
    } catch (error) {
      if (isNotFound(error)) throw new StorageError('not-found', `no shared notebook ${path} in ${formatS3Url(this.location)}`);
      throw error;
    }
  }

  /** Copies a shared notebook into the local root (refusing to overwrite an existing file). */
  async fork(sharedPath: string, localPath?: string): Promise<Record<string, unknown>> {
    const source = normalizeApiPath(sharedPath);
    const target = normalizeApiPath(localPath ?? source);
    const notebook = await this.fetch(source);
    const exists = await this.store.get(target, { content: false }).then(() => true, () => false);
    if (exists) throw new StorageError('conflict', `${target} already exists locally; choose another path to fork into`);
    const quire = { ...((notebook.metadata.quire as Record<string, unknown>) ?? {}), forkedFrom: { shared: source, at: new Date().toISOString() } };
    return (await this.store.save(target, { type: 'notebook', format: 'json', content: { ...notebook, metadata: { ...notebook.metadata, quire } } })).model as unknown as Record<string, unknown>;
  }

  /** Publishes a local notebook into the shared space, stamped with author and time. */
  async publish(localPath: string, sharedPath?: string): Promise<{ path: string; author: string; publishedAt: string }> {
    const source = normalizeApiPath(localPath);
    const target = normalizeApiPath(sharedPath ?? source);
    const notebook = readNotebookText(await readFile(await this.store.paths.resolve(source), 'utf8'), source);
    const publishedAt = new Date().toISOString();
    const quire = { ...((notebook.metadata.quire as Record<string, unknown>) ?? {}), published: { author: this.author, at: publishedAt, from: source } };
    const bytes = Buffer.from(notebookToText({ ...notebook, metadata: { ...notebook.metadata, quire } }, target));
    const key = keyUnder(this.location, target);
    await this.client.send(new PutObjectCommand({ Bucket: this.location.bucket, Key: historyKey(this.location, target, publishedAt, contentHash(bytes)), Body: bytes }));
    await this.client.send(new PutObjectCommand({ Bucket: this.location.bucket, Key: key, Body: bytes, ContentType: 'application/x-ipynb+json' }));
    return { path: target, author: this.author, publishedAt };
  }

  /**
   * Removes a notebook from the shared space. The removed copy is kept under `.history/` first, so an
   * unpublish can be undone by hand. Only what `list` shows can be unpublished: not the space's own
   * `.history/` copies, nor backup conflict copies.
   */
  async unpublish(sharedPath: string): Promise<{ path: string; unpublishedAt: string; keptAs: string }> {
    const path = normalizeApiPath(sharedPath);
    if (!path.endsWith('.ipynb')) throw new StorageError('invalid', `only notebooks (.ipynb) are published, not ${JSON.stringify(sharedPath)}`);
    if (path.split('/').some((segment) => segment.startsWith('.'))) throw new StorageError('invalid', `${path} is not a published notebook: folders starting with '.' hold the space's own copies`);
    const { bytes, etag } = await this.fetchBytes(path);
    const unpublishedAt = new Date().toISOString();
    const keptAs = historyKey(this.location, path, unpublishedAt, contentHash(bytes));
    await this.client.send(new PutObjectCommand({ Bucket: this.location.bucket, Key: keptAs, Body: bytes, ContentType: 'application/x-ipynb+json' }));
    const key = keyUnder(this.location, path);
    // Someone may have published over it since it was read: deleting their version would lose it, as only
    // the copy read above went to the history.
    const now = await this.client.send(new HeadObjectCommand({ Bucket: this.location.bucket, Key: key })).catch((error: unknown) => {
      if (isNotFound(error)) return undefined;
      throw error;
    });
    if (!now) throw new StorageError('not-found', `${path} was removed from ${formatS3Url(this.location)} by someone else meanwhile; its last copy is kept at ${formatS3Url({ bucket: this.location.bucket, prefix: keptAs })}`);
    if (etag && now.ETag !== etag) throw new StorageError('conflict', `${path} was published again while it was being unpublished; nothing was removed, try again`);
    await this.client.send(new DeleteObjectCommand({ Bucket: this.location.bucket, Key: key }));
    return { path, unpublishedAt, keptAs: formatS3Url({ bucket: this.location.bucket, prefix: keptAs }) };
  }
}
