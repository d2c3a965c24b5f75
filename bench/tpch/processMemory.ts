import { readdirSync, readFileSync } from 'node:fs';

export interface ProcessPeak {
  pid: number;
  /** 'driver', 'master', 'worker' or the process's command name. */
  role: string;
  /** Peak resident set size (VmHWM) in bytes, as last seen. */
  peakRssBytes: number;
}

function readStatus(pid: number): { name: string; ppid: number; hwmKb: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (key: string) => new RegExp(`^${key}:\\s*(.*)$`, 'm').exec(status)?.[1] ?? '';
    return { name: field('Name'), ppid: Number(field('PPid')), hwmKb: Number.parseInt(field('VmHWM'), 10) || 0 };
  } catch {
    return undefined; // the process exited between listing and reading: nothing to sample
  }
}

function roleOf(pid: number, rootPid: number, name: string): string {
  if (pid === rootPid) return 'driver';
  let cmdline = '';
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return name;
  }
  if (/master/i.test(cmdline)) return 'master';
  if (/worker/i.test(cmdline)) return 'worker';
  if (/duckdbTimes/.test(cmdline)) return 'duckdb reference';
  return name;
}

/**
 * Samples the peak RSS (VmHWM from /proc) of a process and all its descendants every `intervalMs`,
 * so processes that exit before the end (workers, the reference run) still report their peak.
 * Linux only: elsewhere it reports nothing.
 */
export class PeakMemorySampler {
  private peaks = new Map<number, ProcessPeak>();
  private timer: NodeJS.Timeout;

  constructor(private readonly rootPid = process.pid, intervalMs = 250) {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
  }

  sample(): void {
    let pids: number[];
    try {
      pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number);
    } catch {
      return;
    }
    const parents = new Map<number, { name: string; ppid: number; hwmKb: number }>();
    for (const pid of pids) {
      const status = readStatus(pid);
      if (status) parents.set(pid, status);
    }
    const isDescendant = (pid: number): boolean => {
      for (let p: number | undefined = pid, hops = 0; p !== undefined && p > 1 && hops < 64; hops++) {
        if (p === this.rootPid) return true;
        p = parents.get(p)?.ppid;
      }
      return false;
    };
    for (const [pid, status] of parents) {
      if (!isDescendant(pid)) continue;
      const previous = this.peaks.get(pid);
      const bytes = status.hwmKb * 1024;
      if (!previous) this.peaks.set(pid, { pid, role: roleOf(pid, this.rootPid, status.name), peakRssBytes: bytes });
      else previous.peakRssBytes = Math.max(previous.peakRssBytes, bytes);
    }
  }

  stop(): ProcessPeak[] {
    this.sample();
    clearInterval(this.timer);
    return [...this.peaks.values()].sort((a, b) => a.pid - b.pid);
  }
}
