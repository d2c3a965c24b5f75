/**
 * Coalesces a cell's stream writes into fewer iopub `stream` messages. A cell printing 100,000 lines
 * would otherwise send 100,000 messages, each one signed, relayed by the server and re-rendered by every
 * front end. Text is held at most `maxDelayMs` (or `maxBytes`), and always flushed before any other
 * output so the order of outputs is unchanged. The age check on each write keeps output flowing even
 * while a synchronous loop starves the timer.
 */
export type StreamName = 'stdout' | 'stderr';

export interface StreamCoalescerOptions {
  maxDelayMs?: number;
  maxBytes?: number;
}

export class StreamCoalescer {
  private pending: { name: StreamName; text: string; since: number } | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly maxDelayMs: number;
  private readonly maxBytes: number;

  constructor(
    private readonly send: (name: StreamName, text: string) => void,
    options: StreamCoalescerOptions = {},
  ) {
    this.maxDelayMs = options.maxDelayMs ?? 20;
    this.maxBytes = options.maxBytes ?? 64 * 1024;
  }

  write(name: StreamName, text: string): void {
    if (text === '') return;
    if (this.pending && this.pending.name !== name) this.flush();
    if (this.pending) this.pending.text += text;
    else this.pending = { name, text, since: Date.now() };
    if (this.pending.text.length >= this.maxBytes || Date.now() - this.pending.since >= this.maxDelayMs) {
      this.flush();
      return;
    }
    this.timer ??= setTimeout(() => this.flush(), this.maxDelayMs);
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const pending = this.pending;
    this.pending = undefined;
    if (pending) this.send(pending.name, pending.text);
  }
}
