import type { Field } from '../plan/types.js';

/** Files and directories readers never see: job leftovers, markers, hidden files. */
export function isHiddenName(name: string): boolean {
  return name.startsWith('_') || name.startsWith('.');
}

/** `key=value` directory segments of a path relative to the source root, in order. */
export function hivePartitionValues(relativePath: string): Record<string, string> {
  const values: Record<string, string> = {};
  const segments = relativePath.split('/').slice(0, -1);
  for (const segment of segments) {
    const eq = segment.indexOf('=');
    if (eq <= 0) continue;
    values[decodeURIComponent(segment.slice(0, eq))] = decodeURIComponent(segment.slice(eq + 1));
  }
  return values;
}

/**
 * Partition columns of a set of files. Every file must carry the same keys; a column is BIGINT when
 * all its values are integers, DATE when all are ISO dates, else VARCHAR.
 */
export function partitionColumns(files: { path: string; partitionValues: Record<string, string> }[]): Field[] {
  if (files.length === 0) return [];
  const keys = Object.keys(files[0].partitionValues);
  for (const file of files) {
    const fileKeys = Object.keys(file.partitionValues);
    if (fileKeys.join('/') !== keys.join('/')) {
      throw new Error(
        `partition directories disagree: ${files[0].path} has (${keys.join(', ')}) but ${file.path} has (${fileKeys.join(', ')})`,
      );
    }
  }
  return keys.map((name) => {
    const values = files.map((f) => f.partitionValues[name]);
    const type = values.every((v) => /^-?\d{1,18}$/.test(v))
      ? 'BIGINT'
      : values.every((v) => /^\d{4}-\d{2}-\d{2}$/.test(v))
        ? 'DATE'
        : 'VARCHAR';
    return { name, type, nullable: values.some((v) => v === '__HIVE_DEFAULT_PARTITION__') };
  });
}
