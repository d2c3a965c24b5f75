/** @jupyterlab/services, unmodified, against `quire serve`: kernelspecs, kernels over WebSocket, sessions, contents. */
import { ContentsManager, KernelManager, KernelSpecManager, SessionManager, type Kernel, type KernelMessage } from '@jupyterlab/services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t?.stop();
});

const KERNEL = 'python3';

/** Resolves once the running cell has printed `text`. */
function untilStream(future: Kernel.IShellFuture<KernelMessage.IExecuteRequestMsg, KernelMessage.IExecuteReplyMsg>, text: string): Promise<void> {
  return new Promise((resolve) => {
    future.onIOPub = (msg) => {
      if (msg.header.msg_type === 'stream' && (msg as KernelMessage.IStreamMsg).content.text.includes(text)) resolve();
    };
  });
}

describe('@jupyterlab/services against quire serve', () => {
  it('lists kernelspecs including Debian ipykernel', async () => {
    const specs = new KernelSpecManager({ serverSettings: t.settings });
    await specs.ready;
    await specs.refreshSpecs();
    expect(Object.keys(specs.specs?.kernelspecs ?? {})).toContain('python3');
    expect(specs.specs?.kernelspecs.python3?.language).toBe('python');
    specs.dispose();
  });

  it('starts a kernel, executes code over the WebSocket, interrupts, restarts and shuts down', async () => {
    const manager = new KernelManager({ serverSettings: t.settings });
    await manager.ready;
    const kernel = await manager.startNew({ name: KERNEL });
    try {
      const info = await kernel.info;
      expect(info.implementation).toBe('ipython');
      const streams: string[] = [];
      const future = kernel.requestExecute({ code: 'print(6 * 7)' });
      future.onIOPub = (msg) => {
        if (msg.header.msg_type === 'stream') streams.push((msg as KernelMessage.IStreamMsg).content.text);
      };
      const reply = await future.done;
      expect(reply?.content.status).toBe('ok');
      expect(streams.join('')).toBe('42\n');
      expect(kernel.serverSettings.serializer).toBeDefined();

      await kernel.restart();
      const afterRestart = await kernel.requestExecute({ code: 'x = 1' }).done;
      expect(afterRestart?.content.status).toBe('ok');

      // Interrupted once it prints, so the interrupt cannot land before the code runs (on a busy
      // machine 500 ms was not always enough, and the sleep then ran to its end).
      const slow = kernel.requestExecute({ code: 'import time\nprint("sleeping", flush=True)\ntime.sleep(30)' });
      await untilStream(slow, 'sleeping');
      await kernel.interrupt();
      const interrupted = await slow.done;
      expect(interrupted?.content.status).toBe('error');
    } finally {
      await kernel.shutdown();
      manager.dispose();
    }
    const running = await fetch(`${t.server.url}api/kernels?token=test-token`).then((r) => r.json());
    expect(running).toEqual([]);
  });

  it('runs the quire kernel from its built-in kernelspec', async () => {
    const manager = new KernelManager({ serverSettings: t.settings });
    const kernel = await manager.startNew({ name: 'quire' });
    try {
      const results: string[] = [];
      const future = kernel.requestExecute({ code: 'console.log(6 * 7)\n1 + 1' });
      future.onIOPub = (msg) => {
        if (msg.header.msg_type === 'stream') results.push((msg as KernelMessage.IStreamMsg).content.text);
        if (msg.header.msg_type === 'execute_result') results.push(String((msg as KernelMessage.IExecuteResultMsg).content.data['text/plain']));
      };
      expect((await future.done)?.content.status).toBe('ok');
      expect(results).toEqual(['42\n', '2']);

      // The quire kernelspec interrupts by message (interrupt_request on control), which breaks a busy loop.
      const spinning = kernel.requestExecute({ code: 'while (true) {}' });
      await new Promise((resolve) => setTimeout(resolve, 500));
      await kernel.interrupt();
      expect((await spinning.done)?.content.status).toBe('error');
    } finally {
      await kernel.shutdown();
      manager.dispose();
    }
  }, 120_000);

  it('creates, lists and deletes sessions', async () => {
    const sessions = new SessionManager({ serverSettings: t.settings, kernelManager: new KernelManager({ serverSettings: t.settings }) });
    await sessions.ready;
    const session = await sessions.startNew({ path: 'analysis.ipynb', name: 'analysis.ipynb', type: 'notebook', kernel: { name: KERNEL } });
    try {
      await sessions.refreshRunning();
      expect([...sessions.running()].map((s) => s.path)).toEqual(['analysis.ipynb']);
      await session.setPath('renamed.ipynb');
      const found = await sessions.findByPath('renamed.ipynb');
      expect(found?.id).toBe(session.id);
      const reply = await session.kernel!.requestExecute({ code: 'import os; print(os.getcwd())' }).done;
      expect(reply?.content.status).toBe('ok');
    } finally {
      await session.shutdown();
      sessions.dispose();
    }
    const left = await fetch(`${t.server.url}api/sessions?token=test-token`).then((r) => r.json());
    expect(left).toEqual([]);
  });

  it('round-trips contents with checkpoints', async () => {
    const contents = new ContentsManager({ serverSettings: t.settings });
    const created = await contents.newUntitled({ type: 'notebook', path: '' });
    expect(created.name).toBe('Untitled.ipynb');
    const notebook = {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: { kernelspec: { name: 'python3', display_name: 'Python 3' } },
      cells: [{ id: 'a1', cell_type: 'code', metadata: {}, source: 'print(1)', execution_count: 1, outputs: [{ output_type: 'stream', name: 'stdout', text: '1\n' }] }],
    };
    await contents.save(created.path, { type: 'notebook', format: 'json', content: notebook });
    const checkpoint = await contents.createCheckpoint(created.path);
    expect(checkpoint.id).toBeTruthy();
    const changed = { ...notebook, cells: [{ ...notebook.cells[0], source: 'print(2)' }] };
    await contents.save(created.path, { type: 'notebook', format: 'json', content: changed });
    expect(((await contents.get(created.path)).content.cells[0] as { source: string }).source).toBe('print(2)');
    expect(await contents.listCheckpoints(created.path)).toHaveLength(1);
    await contents.restoreCheckpoint(created.path, checkpoint.id);
    expect(((await contents.get(created.path)).content.cells[0] as { source: string }).source).toBe('print(1)');

    const renamed = await contents.rename(created.path, 'dir-less.ipynb');
    expect(renamed.path).toBe('dir-less.ipynb');
    await contents.save('notes.txt', { type: 'file', format: 'text', content: 'hello' });
    const listing = await contents.get('');
    expect(listing.content.map((m: { name: string }) => m.name).sort()).toEqual(['dir-less.ipynb', 'notes.txt']);
    await contents.deleteCheckpoint('dir-less.ipynb', checkpoint.id);
    await contents.delete('notes.txt');
    expect((await contents.get('')).content).toHaveLength(1);
    contents.dispose();
  });
});
