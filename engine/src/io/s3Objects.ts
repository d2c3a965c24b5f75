import { createReadStream, createWriteStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import {
  CopyObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { S3Location } from './s3Url.js';

export interface S3ObjectInfo {
  key: string;
  size: number;
}

/** Every object under a key prefix, following continuation tokens. */
export async function listObjects(client: S3Client, bucket: string, prefix: string, signal?: AbortSignal): Promise<S3ObjectInfo[]> {
  const objects: S3ObjectInfo[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
      { abortSignal: signal },
    );
    for (const o of page.Contents ?? []) if (o.Key !== undefined) objects.push({ key: o.Key, size: o.Size ?? 0 });
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return objects;
}

/** The object's size, or undefined when there is no such object. */
export async function objectSize(client: S3Client, location: S3Location, signal?: AbortSignal): Promise<number | undefined> {
  try {
    const head = await client.send(new HeadObjectCommand({ Bucket: location.bucket, Key: location.key }), { abortSignal: signal });
    return head.ContentLength ?? 0;
  } catch (error) {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (status === 404) return undefined;
    throw error;
  }
}

/** The object's size; a missing object is an error naming its URL. */
export async function requireObjectSize(client: S3Client, location: S3Location, signal?: AbortSignal): Promise<number> {
  const size = await objectSize(client, location, signal);
  if (size === undefined) throw new Error(`no such file: s3://${location.bucket}/${location.key}`);
  return size;
}

/** Bytes [start, end) of an object, in one ranged GET. */
export async function readRange(client: S3Client, location: S3Location, start: number, end: number, signal?: AbortSignal): Promise<Buffer> {
  if (end <= start) return Buffer.alloc(0);
  const response = await client.send(
    new GetObjectCommand({ Bucket: location.bucket, Key: location.key, Range: `bytes=${start}-${end - 1}` }),
    { abortSignal: signal },
  );
  const bytes = Buffer.from(await response.Body!.transformToByteArray());
  if (bytes.length !== end - start) {
    throw new Error(`s3://${location.bucket}/${location.key}: asked for bytes ${start}-${end - 1}, got ${bytes.length} bytes`);
  }
  return bytes;
}

export async function downloadObject(client: S3Client, location: S3Location, localPath: string, signal?: AbortSignal): Promise<void> {
  const response = await client.send(new GetObjectCommand({ Bucket: location.bucket, Key: location.key }), { abortSignal: signal });
  await pipeline(response.Body as Readable, createWriteStream(localPath), { signal });
}

const PART_BYTES = 8 * 1024 * 1024;

/**
 * Uploads a local file: with one PUT of its bytes when it fits in a part, else with multipart upload
 * (parts of 8 MiB, 4 at once) so large outputs stream. (lib-storage would PUT a small file as a
 * stream of unknown length, which the SDK buffers and warns about.)
 */
export async function uploadFile(client: S3Client, localPath: string, location: S3Location, signal?: AbortSignal): Promise<void> {
  if ((await stat(localPath)).size <= PART_BYTES) {
    await client.send(new PutObjectCommand({ Bucket: location.bucket, Key: location.key, Body: await readFile(localPath) }), { abortSignal: signal });
    return;
  }
  const upload = new Upload({
    client,
    params: { Bucket: location.bucket, Key: location.key, Body: createReadStream(localPath) },
    partSize: PART_BYTES,
    queueSize: 4,
    leavePartsOnError: false,
  });
  const onAbort = () => void upload.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    await upload.done();
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}

export async function putObject(client: S3Client, location: S3Location, body: string | Buffer): Promise<void> {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  // An explicit length: the SDK takes an empty body for a stream of unknown length and warns.
  await client.send(new PutObjectCommand({ Bucket: location.bucket, Key: location.key, Body: bytes, ContentLength: bytes.length }));
}

export async function copyObject(client: S3Client, from: S3Location, to: S3Location): Promise<void> {
  const source = `${from.bucket}/${from.key.split('/').map(copySourceSegment).join('/')}`;
  await client.send(new CopyObjectCommand({ Bucket: to.bucket, Key: to.key, CopySource: source }));
}

/**
 * A key segment for x-amz-copy-source. Characters RFC 3986 allows in a path segment ('=' of hive
 * `key=value` directories above all) stay literal: S3 accepts them either way, and some
 * S3-compatible stores (s3rver) decode the header with decodeURI, which leaves `%3D` undecoded.
 */
function copySourceSegment(segment: string): string {
  return encodeURIComponent(segment).replace(/%(24|26|2C|3A|3B|3D|40)/g, (escaped) => decodeURIComponent(escaped));
}

export async function deleteObjects(client: S3Client, bucket: string, keys: string[]): Promise<void> {
  for (let i = 0; i < keys.length; i += 1000) {
    const batch = keys.slice(i, i + 1000);
    const result = await client.send(
      new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true } }),
    );
    if (result.Errors?.length) {
      const first = result.Errors[0];
      throw new Error(`could not delete s3://${bucket}/${first.Key}: ${first.Code} ${first.Message}`);
    }
  }
}
