/** One progress line per cell on stderr: a bar across the notebook, the cell, its state and time. */

const BAR_WIDTH = 20;

export class ReplayProgress {
  private readonly interactive: boolean;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly total: number,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {
    this.interactive = stream.isTTY === true;
  }

  start(position: number, firstLine: string): void {
    if (!this.interactive) return;
    const started = Date.now();
    const draw = (): void => void this.stream.write(`\r${this.line(position - 1, position, `running ${seconds(Date.now() - started)}`, firstLine)}\x1b[K`);
    draw();
    this.timer = setInterval(draw, 250);
  }

  finish(position: number, firstLine: string, state: 'ok' | 'failed', elapsedMs: number): void {
    clearInterval(this.timer);
    const text = this.line(position, position, `${state} ${seconds(elapsedMs)}`, firstLine);
    this.stream.write(this.interactive ? `\r${text}\x1b[K\n` : `${text}\n`);
  }

  private line(done: number, position: number, state: string, firstLine: string): string {
    const filled = Math.round((done / Math.max(1, this.total)) * BAR_WIDTH);
    const bar = '#'.repeat(filled) + '-'.repeat(BAR_WIDTH - filled);
    const label = firstLine.length > 40 ? `${firstLine.slice(0, 37)}...` : firstLine;
    return `[${bar}] code cell ${position}/${this.total} ${state}  ${label}`;
  }
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)}s`;
}
