/**
 * `quire run --check`: fresh outputs against saved ones. Execution counts, ids, display ids and timing
 * metadata are not compared: they change on every run without the results changing.
 */
import { joinSource, type Cell, type Output } from './notebook.js';

type Comparable = Record<string, unknown>;

const IGNORED_METADATA = new Set(['execution', 'collapsed', 'scrolled', 'ExecuteTime']);

export function normalizeOutput(output: Output): Comparable {
  switch (output.output_type) {
    case 'stream':
      return { output_type: 'stream', name: output.name, text: joinText(output.text) };
    case 'error':
      return { output_type: 'error', ename: output.ename, evalue: output.evalue };
    case 'display_data':
    case 'execute_result':
      return { output_type: output.output_type, data: normalizeBundle(output.data) };
  }
}

function joinText(text: unknown): string {
  return Array.isArray(text) ? text.join('') : String(text);
}

function normalizeBundle(data: Record<string, unknown>): Comparable {
  const out: Comparable = {};
  for (const [mime, value] of Object.entries(data)) {
    out[mime] = typeof value === 'string' || Array.isArray(value) ? joinText(value) : value;
  }
  return out;
}

/** Consecutive stream outputs of one name are one output to a reader, however they were chunked. */
function mergeStreams(outputs: Comparable[]): Comparable[] {
  const merged: Comparable[] = [];
  for (const output of outputs) {
    const last = merged.at(-1);
    if (output.output_type === 'stream' && last?.output_type === 'stream' && last.name === output.name) {
      merged[merged.length - 1] = { ...last, text: `${last.text as string}${output.text as string}` };
    } else {
      merged.push(output);
    }
  }
  return merged;
}

export function comparableOutputs(outputs: Output[]): Comparable[] {
  return mergeStreams(outputs.map(normalizeOutput));
}

export interface CellDifference {
  cellIndex: number;
  source: string;
  lines: string[];
}

/** Readable differences between saved and fresh outputs of each code cell; empty when they match. */
export function compareOutputs(saved: Cell[], fresh: Cell[]): CellDifference[] {
  const differences: CellDifference[] = [];
  fresh.forEach((cell, index) => {
    if (cell.cell_type !== 'code') return;
    const before = saved[index];
    const savedOutputs = before?.cell_type === 'code' ? comparableOutputs(before.outputs) : [];
    const freshOutputs = comparableOutputs(cell.outputs);
    const lines = describeDifferences(savedOutputs, freshOutputs);
    if (lines.length > 0) differences.push({ cellIndex: index, source: joinSource(cell.source), lines });
  });
  return differences;
}

function describeDifferences(saved: Comparable[], fresh: Comparable[]): string[] {
  const lines: string[] = [];
  for (let i = 0; i < Math.max(saved.length, fresh.length); i++) {
    const a = saved[i];
    const b = fresh[i];
    if (!a) lines.push(`  output ${i + 1}: new ${describe(b!)}`);
    else if (!b) lines.push(`  output ${i + 1}: missing ${describe(a)}`);
    else if (JSON.stringify(a) !== JSON.stringify(b)) lines.push(`  output ${i + 1} (${String(b.output_type)}):`, ...fieldDiff(a, b));
  }
  return lines;
}

function describe(output: Comparable): string {
  if (output.output_type === 'stream') return `${String(output.name)} stream ${JSON.stringify(truncate(output.text as string))}`;
  if (output.output_type === 'error') return `error ${String(output.ename)}: ${String(output.evalue)}`;
  return `${String(output.output_type)} [${Object.keys(output.data as object).join(', ')}]`;
}

function fieldDiff(a: Comparable, b: Comparable): string[] {
  const flatten = (o: Comparable): Map<string, string> => {
    const entries = new Map<string, string>();
    for (const [key, value] of Object.entries(o)) {
      if (key === 'data' && typeof value === 'object' && value) {
        for (const [mime, v] of Object.entries(value)) entries.set(mime, typeof v === 'string' ? v : JSON.stringify(v));
      } else {
        entries.set(key, typeof value === 'string' ? value : JSON.stringify(value));
      }
    }
    return entries;
  };
  const before = flatten(a);
  const after = flatten(b);
  const lines: string[] = [];
  for (const key of new Set([...before.keys(), ...after.keys()])) {
    const x = before.get(key);
    const y = after.get(key);
    if (x === y) continue;
    lines.push(`    ${key}:`);
    lines.push(...lineDiff(x ?? '', y ?? ''));
  }
  return lines;
}

/** Lines that differ, saved (-) then fresh (+), after the common start and end are skipped. */
function lineDiff(saved: string, fresh: string): string[] {
  const a = saved.split('\n');
  const b = fresh.split('\n');
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const shown = (lines: string[], sign: string): string[] => lines.slice(0, 12).map((line) => `      ${sign} ${truncate(line)}`);
  const removed = a.slice(start, endA);
  const added = b.slice(start, endB);
  const more = Math.max(removed.length, added.length) > 12 ? ['      ... (more lines differ)'] : [];
  return [...shown(removed, '-'), ...shown(added, '+'), ...more];
}

function truncate(text: string): string {
  return text.length > 160 ? `${text.slice(0, 157)}...` : text;
}
