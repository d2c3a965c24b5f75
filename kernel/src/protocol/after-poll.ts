/**
 * Resolves after the event loop has been through a poll phase, where libuv hands queued signals to their
 * listeners and sockets their readable events: one setImmediate can resume in the check phase right after
 * the current poll, before the next.
 */
export function afterPoll(): Promise<void> {
  return new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
}
