/**
 * A notebook of `cells` code cells, each with the outputs a working notebook has: a few printed lines, a text
 * result, and on every tenth cell an HTML table.
 */
export function benchNotebook(cells: number): object {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: 'quire', display_name: 'Quire (TypeScript, SQL)', language: 'typescript' }, language_info: { name: 'typescript' } },
    cells: Array.from({ length: cells }, (_, i) => ({
      cell_type: 'code',
      id: `bench-${i}`,
      metadata: {},
      execution_count: i + 1,
      source: `const rows${i} = Array.from({ length: 5 }, (_, k) => ({ k, square: k * k }));\nconsole.log('cell ${i}', rows${i}.length);\nrows${i}.map((r) => r.square).join(', ')`,
      outputs: [
        { output_type: 'stream', name: 'stdout', text: `cell ${i} 5\nsecond line of cell ${i}\n` },
        i % 10 === 0
          ? { output_type: 'display_data', metadata: {}, data: { 'text/html': htmlTable(i), 'text/plain': `table ${i}` } }
          : { output_type: 'execute_result', execution_count: i + 1, metadata: {}, data: { 'text/plain': "'0, 1, 4, 9, 16'" } },
      ],
    })),
  };
}

function htmlTable(seed: number): string {
  const body = Array.from({ length: 10 }, (_, r) => `<tr><td>${r}</td><td>${(seed * r) % 97}</td></tr>`).join('');
  return `<table><thead><tr><th>row</th><th>value</th></tr></thead><tbody>${body}</tbody></table>`;
}
