/**
 * Starting a kernel process: the race between picking free ports and the kernel binding them, and
 * what a kernel that dies while starting leaves behind (an error with its last words, no exit callback).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KernelProcess, type KernelLaunch } from './kernel-process.js';
import { quireKernelSpec, type KernelSpecEntry } from './kernelspecs.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'quire-kernel-process-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function launchOf(spec: KernelSpecEntry, exits: unknown[], lines: string[]): KernelLaunch {
  return { spec, cwd: dir, env: {}, log: (line) => lines.push(line), onMessage: () => undefined, onExit: (code, signal) => exits.push({ code, signal }) };
}

/**
 * Runs Quire's kernel, but on its first launch another listener takes the shell port first, as an
 * unrelated process could between the server's port pick and the kernel's bind.
 */
async function kernelLosingItsFirstPort(): Promise<KernelSpecEntry> {
  const quire = quireKernelSpec()!;
  const marker = path.join(dir, 'first-launch-done');
  const wrapper = path.join(dir, 'port-thief.mjs');
  await writeFile(
    wrapper,
    `import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
const [connectionFile, ...kernel] = process.argv.slice(2);
const steal = !existsSync(${JSON.stringify(marker)});
writeFileSync(${JSON.stringify(marker)}, '');
const thief = net.createServer();
if (steal) await new Promise((resolve) => thief.listen(JSON.parse(readFileSync(connectionFile, 'utf8')).shell_port, '127.0.0.1', resolve));
const child = spawn(kernel[0], kernel.slice(1), { stdio: 'inherit' });
child.on('exit', (code) => { thief.close(); process.exit(code ?? 1); });
`,
  );
  const argv = [process.execPath, wrapper, '{connection_file}', ...quire.spec.argv];
  return { name: 'quire-port-thief', spec: { ...quire.spec, argv } };
}

describe('KernelProcess.start', () => {
  it('starts the kernel again on other ports when one was taken before it could bind', async () => {
    const exits: unknown[] = [];
    const lines: string[] = [];
    const kernel = await KernelProcess.start(launchOf(await kernelLosingItsFirstPort(), exits, lines));
    try {
      expect(lines.join('\n')).toMatch(/cannot bind the shell channel to tcp:\/\/127\.0\.0\.1:\d+: Address already in use/);
      expect(lines.join('\n')).toContain('starting again on other ports (attempt 2 of 3)');
      expect(kernel.hasExited).toBe(false);
      // The failed first launch is not reported as an exit of the kernel that did start.
      expect(exits).toEqual([]);
    } finally {
      await kernel.shutdown({ graceMs: 500 });
    }
    expect(exits).toHaveLength(1);
  }, 60_000);

  it("fails with the kernel's last output when it exits while starting, without calling onExit", async () => {
    const exits: unknown[] = [];
    const spec: KernelSpecEntry = {
      name: 'broken',
      spec: { argv: [process.execPath, '-e', 'console.error("no such module: pandas"); process.exit(3)'], display_name: 'Broken', language: 'python' },
    };
    await expect(KernelProcess.start(launchOf(spec, exits, []))).rejects.toThrow(/kernel broken exited while starting; its last output:\nno such module: pandas/);
    expect(exits).toEqual([]);
  }, 30_000);
});
