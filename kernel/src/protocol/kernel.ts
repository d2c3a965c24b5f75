/**
 * The kernel: answers each request with busy/idle status around it, routes cell output to iopub with the
 * request as parent, and hands cells to the Executor.
 */
import type { DisplayBundle } from '../display/bundle.js';
import type { Executor } from '../execute/executor.js';
import { ExecutionHistory } from '../execute/history.js';
import { isComplete } from '../execute/is-complete.js';
import type { CellOutput } from '../execute/output.js';
import { kernelInfo } from './kernel-info.js';
import type { Header, Message, MessageContents, MessageType, TypedMessage } from './messages.js';
import type { KernelSockets } from './sockets.js';
import { createMessage } from './wire.js';
import { StreamCoalescer } from './stream-coalescer.js';

type Channel = 'shell' | 'control';

export class Kernel {
  private executionCount = 0;
  private readonly history = new ExecutionHistory();
  private shuttingDown: Promise<void> | undefined;
  /**
   * When a cell fails with stop_on_error, the execute requests that had arrived before its reply was sent
   * are answered 'aborted' without running (ipykernel's behaviour); requests sent after the reply run.
   */
  private readonly abortedExecutes = new Set<string>();

  constructor(
    private readonly session: string,
    private readonly sockets: KernelSockets,
    private readonly executor: Executor,
    private readonly log: (text: string) => void,
    private readonly exit: () => void,
  ) {}

  async start(): Promise<void> {
    this.publish('status', { execution_state: 'starting' }, undefined);
    await this.sockets.serve((channel, message) => this.handle(channel, message));
  }

  /** An interrupt_request was answered on the control thread; show it as a request like any other. */
  noteInterrupt(header: Header): void {
    const parent = { header } as Message;
    this.publish('status', { execution_state: 'busy' }, parent);
    this.publish('status', { execution_state: 'idle' }, parent);
  }

  private async handle(channel: Channel, message: Message): Promise<void> {
    this.publish('status', { execution_state: 'busy' }, message);
    try {
      if (channel === 'shell' && this.abortedExecutes.delete(message.header.msg_id)) {
        await this.reply(channel, message, 'execute_reply', { status: 'aborted' });
      } else {
        await this.dispatch(channel, message);
      }
    } catch (error) {
      this.log(`${message.header.msg_type} failed: ${(error as Error).stack ?? String(error)}`);
    } finally {
      if (channel === 'shell' && !this.sockets.hasQueuedShellRequests()) this.executor.forgetQueuedInterrupt();
      this.publish('status', { execution_state: 'idle' }, message);
    }
  }

  private async dispatch(channel: Channel, message: Message): Promise<void> {
    const type = message.header.msg_type;
    switch (type) {
      case 'kernel_info_request':
        await this.reply(channel, message, 'kernel_info_reply', kernelInfo());
        // A front end asks for kernel_info once connected: from then on the first cell is near.
        this.executor.warmUp().catch((error: unknown) => this.log(`warming up the first cell failed: ${(error as Error).message}`));
        return;
      case 'execute_request':
        return this.execute(channel, message as TypedMessage<'execute_request'>);
      case 'complete_request': {
        const { code, cursor_pos } = (message as TypedMessage<'complete_request'>).content;
        return this.reply(channel, message, 'complete_reply', this.executor.languageService.complete(code, cursor_pos));
      }
      case 'inspect_request': {
        const { code, cursor_pos } = (message as TypedMessage<'inspect_request'>).content;
        return this.reply(channel, message, 'inspect_reply', this.executor.languageService.inspect(code, cursor_pos));
      }
      case 'is_complete_request':
        return this.reply(channel, message, 'is_complete_reply', isComplete((message as TypedMessage<'is_complete_request'>).content.code));
      case 'history_request':
        return this.reply(channel, message, 'history_reply', {
          status: 'ok',
          history: this.history.query((message as TypedMessage<'history_request'>).content),
        });
      case 'comm_info_request':
        // No comm targets are registered by this kernel, so there are never open comms.
        return this.reply(channel, message, 'comm_info_reply', { status: 'ok', comms: {} });
      case 'shutdown_request':
        return this.shutdown(channel, message as TypedMessage<'shutdown_request'>);
      case 'comm_open':
      case 'comm_msg':
      case 'comm_close':
        this.log(`ignored ${type}: this kernel registers no comm targets`);
        return;
      default:
        this.log(`unsupported message type '${type}' on ${channel}; no reply sent`);
    }
  }

  private async execute(channel: Channel, message: TypedMessage<'execute_request'>): Promise<void> {
    const { code, silent } = message.content;
    const storeHistory = message.content.store_history !== false && !silent;
    if (storeHistory) this.executionCount++;
    const count = this.executionCount;
    if (!silent) this.publish('execute_input', { code, execution_count: count }, message);
    if (storeHistory) this.history.record(count, code);

    const output = this.outputFor(message, silent);
    const outcome = await this.executor.execute(code, count, output);
    output.flush();
    if (outcome.status === 'error') {
      this.publish('error', outcome.error, message);
      // The spec's default for a missing stop_on_error is true.
      if (!silent && message.content.stop_on_error !== false) {
        for (const queued of await this.sockets.arrivedShellRequests()) {
          if (queued.header.msg_type === 'execute_request') this.abortedExecutes.add(queued.header.msg_id);
        }
      }
      return this.reply(channel, message, 'execute_reply', { status: 'error', execution_count: count, ...outcome.error });
    }
    if (outcome.result && !silent) {
      this.publish('execute_result', { execution_count: count, data: outcome.result.data, metadata: outcome.result.metadata }, message);
      const plain = outcome.result.data['text/plain'];
      if (storeHistory && typeof plain === 'string') this.history.recordOutput(count, plain);
    }
    return this.reply(channel, message, 'execute_reply', { status: 'ok', execution_count: count, user_expressions: {}, payload: [] });
  }

  private async shutdown(channel: Channel, message: TypedMessage<'shutdown_request'>): Promise<void> {
    this.shuttingDown ??= (async () => {
      try {
        await this.executor.shutdown();
      } catch (error) {
        this.log(`releasing the cluster failed: ${(error as Error).message}`);
      }
    })();
    await this.shuttingDown;
    await this.reply(channel, message, 'shutdown_reply', { status: 'ok', restart: message.content.restart === true });
    this.exit();
  }

  private outputFor(parent: Message, silent: boolean): CellOutput & { flush(): void } {
    const streams = new StreamCoalescer((name, text) => this.publish('stream', { name, text }, parent));
    return {
      stream: (name, text) => {
        if (!silent) streams.write(name, text);
      },
      flush: () => streams.flush(),
      display: (bundle: DisplayBundle, displayId, update) => {
        if (silent) return;
        streams.flush();
        const content = { data: bundle.data, metadata: bundle.metadata, transient: displayId ? { display_id: displayId } : {} };
        this.publish(update ? 'update_display_data' : 'display_data', content, parent);
      },
      clearOutput: (wait) => {
        if (silent) return;
        streams.flush();
        this.publish('clear_output', { wait }, parent);
      },
    };
  }

  private reply<T extends MessageType>(channel: Channel, parent: Message, type: T, content: MessageContents[T]): Promise<void> {
    return this.sockets.send(channel, createMessage(type, content, parent, this.session, parent.identities));
  }

  private publish<T extends MessageType>(type: T, content: MessageContents[T], parent: Message | undefined): void {
    const message = createMessage(type, content, parent, this.session, [Buffer.from(`kernel.${this.session}.${type}`)]);
    void this.sockets.send('iopub', message);
  }
}
