/** Things an action did that the user must hear about although it succeeded. */
import type { MalformedRows } from '../io/csvInput.js';

export interface SessionWarning {
  kind: 'malformedRows';
  /** One sentence for people: how many rows were dropped, from which files, and the first error. */
  message: string;
  /** Per file: rows dropped, the first such line and its error. */
  malformedRows: MalformedRows[];
}

export type WarningListener = (warning: SessionWarning) => void;

/** Rows dropped from CSV files read with mode 'permissive', counted over all files of the job. */
export function malformedRowsWarning(rows: MalformedRows[]): SessionWarning {
  const byFile = new Map<string, MalformedRows>();
  for (const row of rows) {
    const seen = byFile.get(row.file);
    if (!seen) byFile.set(row.file, { ...row });
    else {
      seen.count += row.count;
      if (row.firstLine < seen.firstLine) Object.assign(seen, { firstLine: row.firstLine, firstError: row.firstError });
    }
  }
  const files = [...byFile.values()].sort((a, b) => a.file.localeCompare(b.file));
  const total = files.reduce((sum, f) => sum + f.count, 0);
  const first = files[0]!;
  const perFile = files.map((f) => `${f.file}: ${f.count}`).join(', ');
  return {
    kind: 'malformedRows',
    message:
      `dropped ${total} malformed CSV row${total === 1 ? '' : 's'} (mode 'permissive'): ${perFile}; ` +
      `first in ${first.file} at line ${first.firstLine}: ${first.firstError}`,
    malformedRows: files,
  };
}
