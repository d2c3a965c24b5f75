/** `quire cluster status` as text: a table of workers, then a table of jobs. */
import type { ClusterStatus } from '@quire/engine';
import { redactToken } from './locate-cluster.js';

export function formatClusterStatus(status: ClusterStatus): string {
  const size = status.size ? `  target ${status.size.core} core + ${status.size.task} task workers` : '';
  const scaling = status.scaling ? `  managed scaling ${status.scaling.minTask}-${status.scaling.maxTask} task workers` : '';
  const lines = [`cluster ${redactToken(status.url)}  master pid ${status.masterPid}${size}${scaling}`, ''];
  lines.push(...table(
    ['WORKER', 'ROLE', 'STATE', 'PID', 'CPU%', 'RSS', 'TASKS', 'ERROR'],
    status.workers.map((w) => [w.id, w.role, w.state, w.pid === undefined ? '-' : String(w.pid), w.cpu.toFixed(0), formatBytes(w.rssBytes),
      String(w.runningTasks), w.error ?? '']),
  ));
  lines.push('');
  if (status.jobs.length === 0) {
    lines.push('no jobs');
  } else {
    lines.push(...table(
      ['JOB', 'STATE', 'TASKS', 'SUBMITTED', 'OWNER', 'DESCRIPTION'],
      status.jobs.map((j) => {
        const t = j.progress.tasks;
        return [j.jobId, j.state, `${t.done}/${t.total}${t.running ? ` (${t.running} running)` : ''}${t.failed ? ` ${t.failed} failed` : ''}`,
          j.submittedAt, j.owner, j.error ? `${j.description}: ${j.error}` : j.description];
      }),
    ));
  }
  return lines.join('\n') + '\n';
}

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)];
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KiB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(0)} MiB`;
  return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
}
