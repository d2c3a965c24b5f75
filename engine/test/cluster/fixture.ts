/** The real cluster a test file runs against: one per file, so each file chooses its workers and limits. */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { startCluster, type Cluster, type StartClusterOptions } from '../../src/cluster/index.js';
import { referenceDb, tempDir } from './plans.js';

export interface ClusterFixture {
  /** Started before the file's first test, stopped after its last. */
  readonly cluster: Cluster;
  /** The file's own directory, removed at the end; the cluster's scratch directory is its `cluster/`. */
  readonly dir: string;
  /** A DuckDB in the test process for expected answers and test files. */
  readonly reference: Awaited<ReturnType<typeof referenceDb>>;
}

export function clusterPerFile(name: string, options: Omit<StartClusterOptions, 'scratchDir'>): ClusterFixture {
  const dir = tempDir(name);
  let cluster: Cluster | undefined;
  let reference: ClusterFixture['reference'] | undefined;
  beforeAll(async () => {
    [cluster, reference] = await Promise.all([startCluster({ ...options, scratchDir: join(dir, 'cluster') }), referenceDb(dir)]);
  });
  afterAll(async () => {
    await cluster?.stop();
    reference?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`the ${what} of ${name} is used before it started (in beforeAll)`);
    return value;
  };
  return {
    get cluster() {
      return started(cluster, 'cluster');
    },
    dir,
    get reference() {
      return started(reference, 'reference DuckDB');
    },
  };
}
