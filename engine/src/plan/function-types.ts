/**
 * Result types of the scalar, aggregate and window functions the DataFrame API produces (and the
 * common ones SQL text uses), by DuckDB name. Argument types come in already derived.
 */
import { AnalysisError } from './errors.js';
import { categoryOf, commonType, isNumeric, sumType } from './type-rules.js';
import type { DataType } from './types.js';

type Rule = (args: DataType[], fn: string) => DataType;

const fixed = (type: DataType): Rule => () => type;
const firstArg: Rule = (args, fn) => {
  if (args.length === 0) throw new AnalysisError(`${fn}() needs an argument`);
  return args[0]!;
};
const common: Rule = (args, fn) => {
  const type = commonType(args);
  if (!type) throw new AnalysisError(`type mismatch: ${fn}() arguments have no common type (${args.join(', ')})`);
  return type;
};
const numericArg = (result: Rule): Rule => (args, fn) => {
  const bad = args.findIndex((t) => !isNumeric(t));
  if (args.length && bad === 0) throw new AnalysisError(`type mismatch: ${fn}() needs a numeric argument, got ${args[0]}`);
  return result(args, fn);
};
const roundRule: Rule = (args, fn) => {
  const [value, digits] = args;
  if (!value || !isNumeric(value)) throw new AnalysisError(`type mismatch: ${fn}() needs a numeric argument, got ${value ?? 'nothing'}`);
  // A DECIMAL's result scale depends on the digits literal, which analyzeExpr applies.
  void digits;
  return value;
};

const SCALAR: Record<string, Rule> = {
  lower: fixed('VARCHAR'), upper: fixed('VARCHAR'), concat: fixed('VARCHAR'), concat_ws: fixed('VARCHAR'), '||': fixed('VARCHAR'),
  substring: fixed('VARCHAR'), substr: fixed('VARCHAR'), trim: fixed('VARCHAR'), ltrim: fixed('VARCHAR'), rtrim: fixed('VARCHAR'),
  replace: fixed('VARCHAR'), regexp_replace: fixed('VARCHAR'), regexp_extract: fixed('VARCHAR'), left: fixed('VARCHAR'),
  right: fixed('VARCHAR'), lpad: fixed('VARCHAR'), rpad: fixed('VARCHAR'), strftime: fixed('VARCHAR'), reverse: fixed('VARCHAR'),
  length: fixed('BIGINT'), strlen: fixed('BIGINT'),
  contains: fixed('BOOLEAN'), starts_with: fixed('BOOLEAN'), ends_with: fixed('BOOLEAN'), regexp_matches: fixed('BOOLEAN'),
  year: fixed('BIGINT'), month: fixed('BIGINT'), day: fixed('BIGINT'), dayofmonth: fixed('BIGINT'), hour: fixed('BIGINT'),
  minute: fixed('BIGINT'), second: fixed('BIGINT'), dayofweek: fixed('BIGINT'), dayofyear: fixed('BIGINT'), quarter: fixed('BIGINT'),
  week: fixed('BIGINT'), strptime: fixed('TIMESTAMP'), date_trunc: fixed('TIMESTAMP'), date_diff: fixed('BIGINT'), datediff: fixed('BIGINT'),
  current_date: fixed('DATE'), today: fixed('DATE'), now: fixed('TIMESTAMP WITH TIME ZONE'), random: fixed('DOUBLE'),
  sqrt: numericArg(fixed('DOUBLE')), ln: numericArg(fixed('DOUBLE')), log: numericArg(fixed('DOUBLE')), log10: numericArg(fixed('DOUBLE')),
  exp: numericArg(fixed('DOUBLE')), pow: numericArg(fixed('DOUBLE')), power: numericArg(fixed('DOUBLE')),
  abs: numericArg(firstArg), sign: numericArg(fixed('TINYINT')), floor: numericArg(firstArg), ceil: numericArg(firstArg),
  round: roundRule, coalesce: common, ifnull: common, greatest: common, least: common, nullif: firstArg, hash: fixed('UBIGINT'),
};

const numericAggregate = (result: Rule): Rule => (args, fn) => {
  if (!args[0] || !(isNumeric(args[0]) || categoryOf(args[0]) === 'interval')) {
    throw new AnalysisError(`type mismatch: ${fn}() needs a numeric argument, got ${args[0] ?? 'nothing'}`);
  }
  return result(args, fn);
};

const AGGREGATE: Record<string, Rule> = {
  sum: numericAggregate((args) => sumType(args[0]!)!),
  avg: numericAggregate(fixed('DOUBLE')), mean: numericAggregate(fixed('DOUBLE')),
  min: firstArg, max: firstArg, first: firstArg, last: firstArg, any_value: firstArg, arg_min: firstArg, arg_max: firstArg,
  count: fixed('BIGINT'), count_star: fixed('BIGINT'), approx_count_distinct: fixed('BIGINT'),
  stddev: numericAggregate(fixed('DOUBLE')), stddev_samp: numericAggregate(fixed('DOUBLE')), stddev_pop: numericAggregate(fixed('DOUBLE')),
  variance: numericAggregate(fixed('DOUBLE')), var_samp: numericAggregate(fixed('DOUBLE')), var_pop: numericAggregate(fixed('DOUBLE')),
  median: numericAggregate((args) => (categoryOf(args[0]!) === 'integer' ? 'DOUBLE' : args[0]!)),
  string_agg: fixed('VARCHAR'), bool_and: fixed('BOOLEAN'), bool_or: fixed('BOOLEAN'),
};

const WINDOW_ONLY: Record<string, Rule> = {
  row_number: fixed('BIGINT'), rank: fixed('BIGINT'), dense_rank: fixed('BIGINT'), ntile: fixed('BIGINT'),
  percent_rank: fixed('DOUBLE'), cume_dist: fixed('DOUBLE'),
  lag: firstArg, lead: firstArg, first_value: firstArg, last_value: firstArg, nth_value: firstArg,
};

function lookup(table: Record<string, Rule>, fn: string, kind: string): Rule {
  const rule = table[fn.toLowerCase()];
  if (!rule) throw new AnalysisError(`unknown ${kind} function '${fn}'`);
  return rule;
}

export function scalarFunctionType(fn: string, args: DataType[]): DataType {
  return lookup(SCALAR, fn, 'scalar')(args, fn);
}

export function aggregateFunctionType(fn: string, args: DataType[]): DataType {
  return lookup(AGGREGATE, fn, 'aggregate')(args, fn);
}

export function windowFunctionType(fn: string, args: DataType[]): DataType {
  const rule = WINDOW_ONLY[fn.toLowerCase()] ?? AGGREGATE[fn.toLowerCase()];
  if (!rule) throw new AnalysisError(`unknown window function '${fn}'`);
  return rule(args, fn);
}

export function isAggregateFunction(fn: string): boolean {
  return fn.toLowerCase() in AGGREGATE;
}
