import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startServer } from '../server/server.js';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'quire-orphans-'));
});
afterEach(() => rm(root, { recursive: true, force: true }));

describe('orphaned temp files', () => {
  it('are removed at server start when their writer is gone; a live writer\'s and other files stay', async () => {
    const deadPid = Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
    const queue = path.join(root, '.quire', 'backup', 'queue');
    await mkdir(queue, { recursive: true });
    await mkdir(path.join(root, 'sub'));
    const orphans = [path.join(root, `.a.ipynb.${deadPid}.0badf00d.tmp`), path.join(root, 'sub', `.b.ipynb.${deadPid}.deadbeef.tmp`), path.join(queue, `.x.snapshot.${deadPid}.12345678.tmp`)];
    const kept = [path.join(root, `.c.ipynb.${process.pid}.cafebabe.tmp`), path.join(root, 'a.ipynb'), path.join(root, `.notes.${deadPid}.tmp`)];
    for (const file of [...orphans, ...kept]) await writeFile(file, '{}');
    const logged: string[] = [];
    const server = await startServer({ root, port: 0, token: 't', log: (line) => logged.push(line) });
    await server.close();
    const left = [...(await readdir(root)), ...(await readdir(path.join(root, 'sub'))), ...(await readdir(queue))];
    for (const file of orphans) expect(left).not.toContain(path.basename(file));
    for (const file of kept) expect(left).toContain(path.basename(file));
    expect(logged.filter((line) => line.startsWith('removed '))).toHaveLength(3);
  });
});
