/**
 * Checks a notebook against the essentials of the nbformat 4.5 JSON schema: top-level shape, cell
 * types and their allowed keys, unique cell ids, multiline strings, output shapes and notebook
 * metadata. Returns every problem found, each naming where it is (`cells[3].outputs[0].name`).
 */

type Json = unknown;
const CELL_ID = /^[a-zA-Z0-9-_]+$/;
const CELL_KEYS: Record<string, { required: string[]; optional: string[] }> = {
  code: { required: ['id', 'cell_type', 'metadata', 'source', 'outputs', 'execution_count'], optional: [] },
  markdown: { required: ['id', 'cell_type', 'metadata', 'source'], optional: ['attachments'] },
  raw: { required: ['id', 'cell_type', 'metadata', 'source'], optional: ['attachments'] },
};
const OUTPUT_KEYS: Record<string, { required: string[]; optional: string[] }> = {
  execute_result: { required: ['output_type', 'execution_count', 'data', 'metadata'], optional: [] },
  display_data: { required: ['output_type', 'data', 'metadata'], optional: [] },
  stream: { required: ['output_type', 'name', 'text'], optional: [] },
  error: { required: ['output_type', 'ename', 'evalue', 'traceback'], optional: [] },
};

function isObject(value: Json): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isMultiline(value: Json): boolean {
  return typeof value === 'string' || (Array.isArray(value) && value.every((line) => typeof line === 'string'));
}

function checkKeys(
  where: string,
  value: Record<string, Json>,
  keys: { required: string[]; optional: string[] },
  problems: string[],
): void {
  for (const key of keys.required) if (!(key in value)) problems.push(`${where}: missing required '${key}'`);
  const allowed = new Set([...keys.required, ...keys.optional]);
  for (const key of Object.keys(value)) if (!allowed.has(key)) problems.push(`${where}: unexpected property '${key}'`);
}

function checkMimeBundle(where: string, bundle: Json, problems: string[]): void {
  if (!isObject(bundle)) {
    problems.push(`${where}: must be an object of MIME type to data`);
    return;
  }
  for (const [mime, data] of Object.entries(bundle)) {
    if (!/^[a-z]+\/[^\s/]+$/i.test(mime)) problems.push(`${where}: '${mime}' is not a MIME type`);
    else if (!/json$/i.test(mime) && !isMultiline(data)) problems.push(`${where}['${mime}']: must be a string or list of strings`);
  }
}

function checkOutput(where: string, output: Json, problems: string[]): void {
  if (!isObject(output)) return void problems.push(`${where}: must be an object`);
  const keys = OUTPUT_KEYS[output.output_type as string];
  if (!keys) return void problems.push(`${where}.output_type: unknown output type ${JSON.stringify(output.output_type)}`);
  checkKeys(where, output, keys, problems);
  if (output.output_type === 'execute_result' && output.execution_count !== null && !Number.isInteger(output.execution_count)) {
    problems.push(`${where}.execution_count: must be an integer or null`);
  }
  switch (output.output_type) {
    case 'execute_result':
    case 'display_data':
      checkMimeBundle(`${where}.data`, output.data, problems);
      if (!isObject(output.metadata)) problems.push(`${where}.metadata: must be an object`);
      break;
    case 'stream':
      if (output.name !== 'stdout' && output.name !== 'stderr') problems.push(`${where}.name: must be 'stdout' or 'stderr'`);
      if (!isMultiline(output.text)) problems.push(`${where}.text: must be a string or list of strings`);
      break;
    case 'error':
      if (typeof output.ename !== 'string') problems.push(`${where}.ename: must be a string`);
      if (typeof output.evalue !== 'string') problems.push(`${where}.evalue: must be a string`);
      if (!Array.isArray(output.traceback) || !output.traceback.every((l) => typeof l === 'string')) {
        problems.push(`${where}.traceback: must be a list of strings`);
      }
      break;
  }
}

function checkCell(where: string, cell: Json, ids: Set<string>, problems: string[]): void {
  if (!isObject(cell)) return void problems.push(`${where}: must be an object`);
  const keys = CELL_KEYS[cell.cell_type as string];
  if (!keys) return void problems.push(`${where}.cell_type: must be 'code', 'markdown' or 'raw', not ${JSON.stringify(cell.cell_type)}`);
  checkKeys(where, cell, keys, problems);
  if (typeof cell.id !== 'string' || cell.id.length < 1 || cell.id.length > 64 || !CELL_ID.test(cell.id)) {
    problems.push(`${where}.id: must be 1-64 characters of letters, digits, '-' or '_'`);
  } else if (ids.has(cell.id)) {
    problems.push(`${where}.id: duplicate cell id '${cell.id}'`);
  } else {
    ids.add(cell.id);
  }
  if (!isObject(cell.metadata)) problems.push(`${where}.metadata: must be an object`);
  if ('source' in cell && !isMultiline(cell.source)) problems.push(`${where}.source: must be a string or list of strings`);
  if ('attachments' in cell && !isObject(cell.attachments)) problems.push(`${where}.attachments: must be an object`);
  if (cell.cell_type === 'code') {
    if (cell.execution_count !== null && !Number.isInteger(cell.execution_count)) {
      problems.push(`${where}.execution_count: must be an integer or null`);
    }
    if (!Array.isArray(cell.outputs)) problems.push(`${where}.outputs: must be a list`);
    else cell.outputs.forEach((output, i) => checkOutput(`${where}.outputs[${i}]`, output, problems));
  }
}

function checkNotebookMetadata(metadata: Json, problems: string[]): void {
  if (!isObject(metadata)) return void problems.push('metadata: must be an object');
  const { kernelspec, language_info: languageInfo, authors } = metadata;
  if (kernelspec !== undefined) {
    if (!isObject(kernelspec)) problems.push('metadata.kernelspec: must be an object');
    else {
      if (typeof kernelspec.name !== 'string') problems.push("metadata.kernelspec.name: must be a string");
      if (typeof kernelspec.display_name !== 'string') problems.push('metadata.kernelspec.display_name: must be a string');
    }
  }
  if (languageInfo !== undefined && (!isObject(languageInfo) || typeof languageInfo.name !== 'string')) {
    problems.push('metadata.language_info: must be an object with a string name');
  }
  if (authors !== undefined && !Array.isArray(authors)) problems.push('metadata.authors: must be a list');
}

export function validateNotebook(notebook: Json): string[] {
  const problems: string[] = [];
  if (!isObject(notebook)) return ['notebook: must be a JSON object'];
  checkKeys('notebook', notebook, { required: ['nbformat', 'nbformat_minor', 'metadata', 'cells'], optional: [] }, problems);
  if (notebook.nbformat !== 4) problems.push(`nbformat: must be 4, not ${JSON.stringify(notebook.nbformat)}`);
  if (!Number.isInteger(notebook.nbformat_minor) || (notebook.nbformat_minor as number) < 5) {
    problems.push(`nbformat_minor: must be an integer >= 5 (cell ids), not ${JSON.stringify(notebook.nbformat_minor)}`);
  }
  checkNotebookMetadata(notebook.metadata, problems);
  if (!Array.isArray(notebook.cells)) problems.push('cells: must be a list');
  else {
    const ids = new Set<string>();
    notebook.cells.forEach((cell, i) => checkCell(`cells[${i}]`, cell, ids, problems));
  }
  return problems;
}

/** Parses notebook text, failing with a message that says why it is not a usable notebook. */
export function parseNotebook(text: string, name: string): { notebook: Record<string, Json>; problems: string[] } {
  let parsed: Json;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`${name} is not valid JSON: ${(error as Error).message}`);
  }
  const problems = validateNotebook(parsed);
  return { notebook: parsed as Record<string, Json>, problems };
}
