/** Errors of the SQL frontend: what the user wrote wrong, with where it is in their text. */

/** A position in the query text, 1-based, with the offending line and a caret under the spot. */
export interface SqlPosition {
  line: number;
  column: number;
  excerpt: string;
}

export function positionAt(query: string, offset: number): SqlPosition {
  const clamped = Math.max(0, Math.min(offset, query.length));
  const before = query.slice(0, clamped);
  const line = before.split('\n').length;
  const lineStart = before.lastIndexOf('\n') + 1;
  const lineEnd = query.indexOf('\n', lineStart);
  const lineText = query.slice(lineStart, lineEnd === -1 ? undefined : lineEnd);
  const column = clamped - lineStart + 1;
  return { line, column, excerpt: `${lineText}\n${' '.repeat(column - 1)}^` };
}

/** A query that cannot run as written: syntax errors, unknown tables or columns, type errors. */
export class SqlError extends Error {
  override readonly name = 'SqlError';
  readonly line?: number;
  readonly column?: number;
  readonly excerpt?: string;

  constructor(message: string, position?: SqlPosition) {
    super(position ? `${message} at line ${position.line}, column ${position.column}\n${position.excerpt}` : message);
    if (position) {
      this.line = position.line;
      this.column = position.column;
      this.excerpt = position.excerpt;
    }
  }

  /** `offset` is a character offset into `query` (DuckDB's `query_location` / parser `position`). */
  static at(message: string, query: string, offset: number | undefined): SqlError {
    return new SqlError(message, offset === undefined ? undefined : positionAt(query, offset));
  }
}

/**
 * A valid construct the translator does not turn into distributable plan nodes. It never reaches
 * the user: the query (or subquery) containing it becomes an `opaque` node that DuckDB runs as written.
 */
export class UntranslatableSql extends Error {
  override readonly name = 'UntranslatableSql';
  /** `correlated`: the construct is a reference into an enclosing query, so that query must fall back too. */
  constructor(readonly construct: string, readonly correlated = false) {
    super(construct);
  }
}
