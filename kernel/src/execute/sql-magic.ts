/** `%%sql [-o name]` cells: the rest of the cell is a query for `spark.sql`. */

export interface SqlCell {
  query: string;
  /** Global the resulting DataFrame is bound to (`-o name`). */
  outputName?: string;
}

export class MagicError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MagicError';
  }
}

/** Returns the parsed cell when the source starts with a `%%` magic line, undefined for a TypeScript cell. */
export function parseCellMagic(source: string): SqlCell | undefined {
  const match = /^\s*%%(\S*)(.*)(?:\n|$)/.exec(source);
  if (!match) return undefined;
  const [line, magic, rest] = match;
  if (magic !== 'sql') throw new MagicError(`unknown cell magic '%%${magic}' (supported: %%sql)`);
  const args = rest!.trim().split(/\s+/).filter(Boolean);
  let outputName: string | undefined;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '-o' || args[i] === '--output') {
      outputName = args[++i];
      if (!outputName || !/^[A-Za-z_$][\w$]*$/.test(outputName)) throw new MagicError(`%%sql -o needs a variable name, got '${outputName ?? ''}'`);
    } else {
      throw new MagicError(`%%sql: unknown option '${args[i]}' (usage: %%sql [-o name])`);
    }
  }
  const query = source.slice(line!.length).trim();
  if (!query) throw new MagicError('%%sql cell has no query');
  return { query, outputName };
}
