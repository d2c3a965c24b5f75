/**
 * A real S3-compatible server (s3rver) on 127.0.0.1 for browser tests of backups and the shared space.
 * It can be stopped and started again on the same port and data, to test a backup that fails and recovers.
 */
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';

export interface TestS3 {
  bucket: string;
  /** The AWS environment `quire serve` needs to reach this server. */
  env: Record<string, string>;
  client: S3Client;
  stop(): Promise<void>;
  start(): Promise<void>;
  dispose(): Promise<void>;
  keys(prefix?: string): Promise<string[]>;
  /** An object's text, or undefined when there is no such key. */
  text(key: string): Promise<string | undefined>;
  put(key: string, body: string): Promise<void>;
}

export async function startS3(bucket = 'notebooks'): Promise<TestS3> {
  const directory = await mkdtemp(join(tmpdir(), 'quire-e2e-s3rver-'));
  let server: S3rver | undefined = new S3rver({ address: '127.0.0.1', port: 0, directory, silent: true, configureBuckets: [{ name: bucket }] });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const env = { AWS_ENDPOINT_URL_S3: endpoint, AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_REGION: 'us-east-1' };
  const client = new S3Client({ region: 'us-east-1', endpoint, forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
  return {
    bucket,
    env,
    client,
    async stop() {
      await server?.close();
      server = undefined;
    },
    async start() {
      if (server) return;
      server = new S3rver({ address: '127.0.0.1', port, directory, silent: true });
      await server.run();
    },
    async dispose() {
      client.destroy();
      await server?.close();
      server = undefined;
      await rm(directory, { recursive: true, force: true });
    },
    async keys(prefix = '') {
      const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
      return (page.Contents ?? []).map((object) => object.Key!).sort();
    },
    async text(key) {
      try {
        return await (await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToString('utf8');
      } catch (error) {
        if ((error as { name?: string }).name === 'NoSuchKey') return undefined;
        throw error;
      }
    },
    async put(key, body) {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'application/x-ipynb+json' }));
    },
  };
}
