/** Bootstrap actions run on every worker before it takes tasks; a failing one marks the worker failed with its error. */
import { chmodSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { startCluster, type Cluster } from '../../src/cluster/index.js';
import type { PhysicalPlan } from '../../src/physical/types.js';
import { alive, waitUntil } from './helpers.js';
import { schemaOf, stage, tempDir, valuesInput } from './plans.js';

const dir = tempDir('bootstrap');
const clusters: Cluster[] = [];
afterAll(async () => {
  await Promise.all(clusters.map((c) => c.stop()));
  rmSync(dir, { recursive: true, force: true });
});

test('a module sets the environment, a shell script (which sees it) writes a data file every task reads', async () => {
  const module = join(dir, 'env.mjs');
  writeFileSync(module, "process.env.QUIRE_REGION = 'eu-test-1';\n");
  const script = join(dir, 'data.sh');
  writeFileSync(script, `#!/bin/sh\nprintf "region,names\\n$QUIRE_REGION,2\\n" > "${join(dir, 'lookup.csv')}"\n`);
  chmodSync(script, 0o755);
  const cluster = await startCluster({ core: 2, scratchDir: join(dir, 'ok'), threadsPerWorker: 1, bootstrap: [module, script] });
  clusters.push(cluster);
  const one = schemaOf([['x', 'INTEGER']]);
  const result = schemaOf([['region', 'VARCHAR'], ['names', 'BIGINT']]);
  const plan: PhysicalPlan = {
    stages: [stage(0, `SELECT region, names::BIGINT AS names FROM t, read_csv('${join(dir, 'lookup.csv')}')`,
      { kind: 'result' }, [[valuesInput('t', { x: Int32Array.from([1]) }, one)], [valuesInput('t', { x: Int32Array.from([2]) }, one)]], [], result)],
    resultStageId: 0,
    schema: result,
  };
  const answer = await cluster.runJob(plan);
  if (!('table' in answer)) throw new Error('expected rows');
  expect(answer.table.toArray().map((r) => [r.region, r.names])).toEqual([['eu-test-1', 2n], ['eu-test-1', 2n]]);
  expect((await cluster.status()).workers.every((w) => w.state === 'idle')).toBe(true);
}, 60_000);

test("a failing bootstrap script marks the worker failed with the script's error", async () => {
  const script = join(dir, 'fails.sh');
  writeFileSync(script, '#!/bin/sh\necho "mount point /data is missing" >&2\nexit 3\n');
  chmodSync(script, 0o755);
  const cluster = await startCluster({ core: 1, scratchDir: join(dir, 'failing'), threadsPerWorker: 1, bootstrap: [script] });
  clusters.push(cluster);
  const [worker] = (await cluster.status()).workers;
  expect(worker!.state).toBe('failed');
  expect(worker!.error).toBe(`bootstrap action ${script} failed: mount point /data is missing (exit code 3)`);
  await waitUntil(() => !alive(worker!.pid!), 3000, 'the failed worker to exit');
  await expect(startCluster({ scratchDir: join(dir, 'bad'), bootstrap: ['relative.sh'] })).rejects.toThrow(/bootstrap actions must be absolute paths, got "relative.sh"/);
}, 30_000);
