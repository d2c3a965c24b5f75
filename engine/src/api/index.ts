export { Session, type SessionOptions, type ProgressListener } from './session.js';
export type { SessionWarning, WarningListener } from './warnings.js';
export { DataFrame } from './dataframe.js';
export { GroupedData } from './grouped.js';
export { Column, type ColumnOrValue } from './column.js';
export { Window, WindowSpecBuilder } from './window.js';
export { DataFrameWriter, type WriteOptions } from './writer.js';
export { DataFrameReader, type CsvReadOptions } from './reader.js';
export { Catalog, type TableInfo } from './catalog.js';
export type { Row } from './rows.js';
export type { ActionOptions } from './host.js';
export * as functions from './functions.js';
export {
  col, column, lit, expr, sum, sumDistinct, avg, mean, min, max, count, countDistinct, approxCountDistinct, first, last, stddev, variance,
  when, asc, desc, coalesce, isnull, abs, sqrt, round, floor, ceil, greatest, least, concat, concatWs, lower, upper, trim, length,
  substring, regexpReplace, regexpExtract, year, month, dayofmonth, hour, dayofweek, toDate, toTimestamp, dateAdd, dateSub, datediff,
  dateFormat, currentDate, rowNumber, rank, denseRank, percentRank, ntile, lag, lead,
} from './functions.js';
