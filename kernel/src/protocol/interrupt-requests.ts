/**
 * Interrupt requests counted in memory shared by the control thread and the main thread. The control
 * thread counts a request before it raises SIGINT, so the main thread can see one whose signal came
 * too early to break the cell: a signal that arrives after the last turn of the event loop but before
 * the cell's script starts (and with it vm's breakOnSigint watchdog) waits for the loop, which a busy
 * loop never gives back. The cell checks for a request as its first statement (executor.ts).
 */
export class InterruptRequests {
  /** [0]: requests made (control thread), [1]: requests taken (main thread). */
  private readonly counts: Int32Array;

  constructor(readonly buffer: SharedArrayBuffer = new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT)) {
    this.counts = new Int32Array(buffer);
  }

  /** Control thread: one more interrupt was asked for. */
  request(): void {
    Atomics.add(this.counts, 0, 1);
  }

  /** Main thread: whether a request is waiting; it is taken by this call. */
  take(): boolean {
    const made = Atomics.load(this.counts, 0);
    if (made === Atomics.load(this.counts, 1)) return false;
    Atomics.store(this.counts, 1, made);
    return true;
  }
}
