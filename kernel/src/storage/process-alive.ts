/** Whether a process with this pid runs on this machine (EPERM: it does, as another user). */
import { isNodeError } from './errors.js';

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return isNodeError(error, 'EPERM');
  }
}
