/**
 * Raised while a DataFrame or query is being built, before any task runs: a column or table that
 * does not exist, an ambiguous reference, or operands whose types do not fit together.
 */
export class AnalysisError extends Error {
  override readonly name = 'AnalysisError';
}
