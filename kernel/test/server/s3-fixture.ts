/** A real s3rver on 127.0.0.1 that tests can stop and start again on the same port and data. */
import { S3Client, ListObjectsV2Command, GetObjectCommand } from '@aws-sdk/client-s3';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';

export interface S3Fixture {
  bucket: string;
  port: number;
  env: NodeJS.ProcessEnv;
  client: S3Client;
  stop(): Promise<void>;
  start(): Promise<void>;
  dispose(): Promise<void>;
  keys(prefix?: string): Promise<string[]>;
  text(key: string): Promise<string>;
}

export async function startS3(bucket = 'notebooks'): Promise<S3Fixture> {
  const directory = await mkdtemp(path.join(os.tmpdir(), 'quire-s3rver-'));
  let server: S3rver | undefined = new S3rver({ address: '127.0.0.1', port: 0, directory, silent: true, configureBuckets: [{ name: bucket }] });
  const { port } = await server.run();
  const env = { AWS_ENDPOINT_URL_S3: `http://127.0.0.1:${port}`, AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_REGION: 'us-east-1' };
  const client = new S3Client({ region: 'us-east-1', endpoint: env.AWS_ENDPOINT_URL_S3, forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
  const fixture: S3Fixture = {
    bucket,
    port,
    env,
    client,
    async stop() {
      await server?.close();
      server = undefined;
    },
    async start() {
      server = new S3rver({ address: '127.0.0.1', port, directory, silent: true });
      await server.run();
    },
    async dispose() {
      client.destroy();
      await server?.close();
      await rm(directory, { recursive: true, force: true });
    },
    async keys(prefix = '') {
      const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
      return (page.Contents ?? []).map((o) => o.Key!).sort();
    },
    async text(key) {
      return (await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToString('utf8');
    },
  };
  return fixture;
}

/** Polls until `check` returns true, failing after `timeoutMs`. */
export async function eventually(check: () => Promise<boolean>, timeoutMs = 20_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

export function notebook(source: string, id = 'c1'): Record<string, unknown> {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: 'python3', display_name: 'Python 3' } },
    cells: [{ id, cell_type: 'code', metadata: {}, source, execution_count: null, outputs: [] }],
  };
}
