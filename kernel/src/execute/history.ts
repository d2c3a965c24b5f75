/** The inputs (and plain-text outputs) of this kernel session, for history_request. */
import type { HistoryReply, HistoryRequest } from '../protocol/messages.js';

interface Entry {
  line: number;
  input: string;
  output: string | null;
}

/** ipykernel numbers sessions; this kernel keeps one session per process. */
const SESSION = 1;

export class ExecutionHistory {
  private readonly entries: Entry[] = [];

  record(line: number, input: string): void {
    this.entries.push({ line, input, output: null });
  }

  recordOutput(line: number, output: string): void {
    const entry = this.entries.findLast((e) => e.line === line);
    if (entry) entry.output = output;
  }

  query(request: HistoryRequest): HistoryReply['history'] {
    let selected: Entry[];
    switch (request.hist_access_type) {
      case 'tail':
        selected = this.entries.slice(-(request.n ?? 10));
        break;
      case 'range': {
        const start = request.start ?? 0;
        const stop = request.stop ?? Number.POSITIVE_INFINITY;
        selected = this.entries.filter((e) => e.line >= start && e.line < stop);
        break;
      }
      case 'search': {
        const pattern = globToRegExp(request.pattern ?? '*');
        selected = this.entries.filter((e) => pattern.test(e.input));
        if (request.unique) selected = selected.filter((e, i) => selected.findIndex((o) => o.input === e.input) === i);
        if (request.n) selected = selected.slice(-request.n);
        break;
      }
      default:
        throw new Error(`unknown hist_access_type '${String(request.hist_access_type)}' (range, tail or search)`);
    }
    return selected.map((e) => (request.output ? [SESSION, e.line, [e.input, e.output]] : [SESSION, e.line, e.input]));
  }
}

function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`, 's');
}
