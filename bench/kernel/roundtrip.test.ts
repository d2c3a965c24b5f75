/** The round-trip benchmark runs end to end (few requests) and prints its comparison table. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const BENCH = fileURLToPath(new URL('./roundtrip.ts', import.meta.url));

it('measures quire and ipykernel with the same jupyter_client script', async () => {
  const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', BENCH, '--n', '30', '--warmup', '5'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('close', (exit) => resolve({ code: exit, stdout: out, stderr: err }));
  });
  expect(code, stderr).toBe(0);
  const rows = stdout.split('\n').filter((line) => /^(quire|python3)\s+\d/.test(line));
  expect(rows.map((row) => row.split(/\s+/)[0])).toEqual(['quire', 'python3']);
  for (const row of rows) {
    const [, median, p99] = row.split(/\s+/).map(Number);
    expect(median).toBeGreaterThan(0);
    expect(p99).toBeGreaterThanOrEqual(median!);
  }
}, 180_000);
