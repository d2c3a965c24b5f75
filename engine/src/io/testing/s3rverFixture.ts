/**
 * A real S3-compatible server (s3rver) on 127.0.0.1 at a free port, with one empty bucket, for the
 * tests of every package (exported as `@quire/engine/testing`). Its storage is a temporary directory;
 * pause() and resume() stop and restart it on the same port and data, so tests can watch clients
 * meet an unreachable endpoint and recover.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import type { S3Config } from '../s3Config.js';

export interface S3Fixture {
  bucket: string;
  port: number;
  /** How Quire's own code reaches the server. */
  config: S3Config;
  /** The same as the standard AWS_* variables, for child processes. */
  env: Record<string, string>;
  /** A client for checking what was written. */
  client: S3Client;
  /** Stops the server and keeps its data. */
  pause(): Promise<void>;
  /** Starts it again on the same port and data. */
  resume(): Promise<void>;
  /** Stops the server for good and removes its data. */
  stop(): Promise<void>;
  /** Keys under a prefix, sorted. */
  keys(prefix?: string): Promise<string[]>;
  text(key: string): Promise<string>;
}

const CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

export async function startS3rver(bucket = 'quire-test'): Promise<S3Fixture> {
  const directory = mkdtempSync(join(tmpdir(), 'quire-s3rver-'));
  let server: S3rver | undefined = new S3rver({ address: '127.0.0.1', port: 0, directory, silent: true, configureBuckets: [{ name: bucket, configs: [] }] });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new S3Client({ region: 'us-east-1', endpoint, forcePathStyle: true, credentials: CREDENTIALS });
  return {
    bucket,
    port,
    config: { region: 'us-east-1', ...CREDENTIALS, endpoint },
    env: { AWS_ENDPOINT_URL_S3: endpoint, AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey, AWS_REGION: 'us-east-1' },
    client,
    async pause() {
      await server?.close();
      server = undefined;
    },
    async resume() {
      if (server) return;
      server = new S3rver({ address: '127.0.0.1', port, directory, silent: true });
      await server.run();
    },
    async stop() {
      client.destroy();
      await server?.close();
      server = undefined;
      rmSync(directory, { recursive: true, force: true });
    },
    async keys(prefix = '') {
      const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
      return (page.Contents ?? []).map((o) => o.Key!).sort();
    },
    async text(key) {
      return (await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToString('utf8');
    },
  };
}
