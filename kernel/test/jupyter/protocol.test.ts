/** The kernel driven by Debian's jupyter_client, every message type checked against the messaging spec. */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PYTHON, installKernelInTempPrefix, run, type JupyterPrefix } from './jupyter-fixture.js';

const SCRIPT = fileURLToPath(new URL('./protocol_check.py', import.meta.url));
const CLUSTER_SCRIPT = fileURLToPath(new URL('./cluster_check.py', import.meta.url));
const CHECKS = ['kernel_info', 'execute', 'redeclare', 'top-level-await', 'import', 'syntax-error', 'runtime-error', 'type-error',
  'unhandled-rejection', 'interrupt', 'abort-queued', 'bad-signature', 'complete', 'inspect', 'is_complete', 'history', 'comm_info', 'shutdown'];

describe('quire kernel under jupyter_client', () => {
  let prefix: JupyterPrefix;
  beforeAll(async () => {
    prefix = await installKernelInTempPrefix();
  });
  afterAll(() => prefix?.dispose());

  it('kernelspec is listed by jupyter kernelspec list', async () => {
    const listed = await run('/usr/bin/jupyter', ['kernelspec', 'list', '--json'], { env: prefix.env });
    expect(listed.code).toBe(0);
    const spec = JSON.parse(listed.stdout).kernelspecs.quire.spec;
    expect(spec).toMatchObject({ display_name: 'Quire (TypeScript)', language: 'typescript', interrupt_mode: 'message' });
    expect(spec.argv.slice(-3)).toEqual(['kernel', '-f', '{connection_file}']);
  });

  it('answers every request type as the messaging spec says', async () => {
    const result = await run(PYTHON, ['-Xfrozen_modules=off', SCRIPT, join(prefix.dir, 'kernel-stderr.log')], { env: prefix.env, cwd: prefix.dir });
    const passed = result.stdout.split('\n').filter((line) => line.startsWith('ok ')).map((line) => line.slice(3));
    expect(result.stdout + result.stderr).not.toContain('FAILED');
    expect(passed, result.stdout + result.stderr).toEqual(CHECKS);
    expect(result.code).toBe(0);
  }, 180_000);

  it('runs %%sql on a cluster, interrupts its jobs and releases it on shutdown', async () => {
    const result = await run(PYTHON, ['-Xfrozen_modules=off', CLUSTER_SCRIPT, join(prefix.dir, 'cluster-kernel.log')], { env: prefix.env, cwd: prefix.dir });
    expect(result.stdout + result.stderr).not.toContain('FAILED');
    expect(result.stdout.split('\n').filter((line) => line.startsWith('ok '))).toEqual(['ok sql', 'ok dataframe-completion', 'ok interrupt-job', 'ok shutdown-releases-cluster']);
    expect(result.code).toBe(0);
  }, 180_000);
});
