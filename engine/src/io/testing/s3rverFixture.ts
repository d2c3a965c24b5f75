import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import type { S3Config } from '../s3Config.js';

export interface S3Fixture {
  config: S3Config;
  bucket: string;
  stop(): Promise<void>;
}

/**
 * A real S3-compatible server (s3rver) on 127.0.0.1 at a free port, with one empty bucket, for tests.
 * Its storage is a temporary directory removed by stop().
 */
export async function startS3rver(bucket = 'quire-test'): Promise<S3Fixture> {
  const directory = mkdtempSync(join(tmpdir(), 'quire-s3rver-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, directory, silent: true, configureBuckets: [{ name: bucket }] });
  const { port } = await server.run();
  return {
    bucket,
    config: { region: 'us-east-1', accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', endpoint: `http://127.0.0.1:${port}` },
    async stop() {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
