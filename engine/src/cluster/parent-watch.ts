/**
 * Ends a child process when its parent goes away. The IPC channel closing is the prompt signal;
 * polling the parent pid also covers a parent killed with SIGKILL on platforms where the channel
 * lingers.
 */
const POLL_MS = 1000;

export function watchParent(onParentGone: () => void): void {
  const parentPid = process.ppid;
  let gone = false;
  const fire = () => {
    if (gone) return;
    gone = true;
    onParentGone();
  };
  process.on('disconnect', fire);
  setInterval(() => {
    if (process.ppid !== parentPid || !isAlive(parentPid)) fire();
  }, POLL_MS).unref();
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
