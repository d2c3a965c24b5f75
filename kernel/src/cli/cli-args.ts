/** A small `--name value` / `--flag` parser for the quire commands, failing clearly on unknown options. */

export interface ParsedArgs {
  options: Record<string, string | true>;
  positional: string[];
}

export function parseArgs(argv: string[], spec: { values: string[]; flags: string[] }): ParsedArgs {
  const options: Record<string, string | true> = {};
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2);
    if (spec.flags.includes(name)) {
      if (inline !== undefined) throw new Error(`--${name} takes no value`);
      options[name] = true;
    } else if (spec.values.includes(name)) {
      const value = inline ?? argv[++i];
      if (value === undefined) throw new Error(`--${name} needs a value`);
      options[name] = value;
    } else {
      throw new Error(`unknown option --${name}`);
    }
  }
  return { options, positional };
}

export function intOption(options: ParsedArgs['options'], name: string, fallback: number): number {
  const value = options[name];
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (typeof value !== 'string' || !Number.isInteger(parsed) || parsed < 0) throw new Error(`--${name} must be a non-negative integer, not '${String(value)}'`);
  return parsed;
}

export function stringOption(options: ParsedArgs['options'], name: string): string | undefined {
  const value = options[name];
  return typeof value === 'string' ? value : undefined;
}
