/** Type declarations of the globals the kernel gives cells, so completion and inspection know them. */

export function notebookGlobalsDeclaration(engineNames: readonly string[]): string {
  const engine = `import('@quire/engine')`;
  const lines = [
    'type QuireMimeBundle = Record<string, unknown>;',
    'interface QuireDisplayOptions { displayId?: string; update?: boolean }',
    'interface QuireDisplayHandle { readonly displayId: string; update(value: unknown): Promise<void> }',
    "interface QuireChartOptions { mark: 'bar' | 'line' | 'point' | 'area' | 'tick' | 'rect' | 'circle' | 'square' | 'boxplot'; x: string; y?: string; color?: string; aggregate?: string; title?: string; width?: number; height?: number; maxRows?: number }",
    '/** Shows a value (a DataFrame as a table) below the cell. */',
    'declare function display(value: unknown, options?: QuireDisplayOptions): Promise<QuireDisplayHandle>;',
    'declare namespace display {',
    '  function html(html: string, options?: QuireDisplayOptions): Promise<QuireDisplayHandle>;',
    '  function markdown(markdown: string, options?: QuireDisplayOptions): Promise<QuireDisplayHandle>;',
    '  function svg(svg: string, options?: QuireDisplayOptions): Promise<QuireDisplayHandle>;',
    '  function json(value: unknown, options?: QuireDisplayOptions): Promise<QuireDisplayHandle>;',
    '  function mime(bundle: QuireMimeBundle, options?: QuireDisplayOptions): Promise<QuireDisplayHandle>;',
    '  /** A Vega-Lite chart of a DataFrame or rows, with an SVG rendered in the kernel. */',
    '  function chart(data: unknown, chart: QuireChartOptions, options?: QuireDisplayOptions): Promise<QuireDisplayHandle>;',
    '}',
    '/** Clears the cell\'s output; with wait, when the next output arrives. */',
    'declare function clearOutput(options?: { wait?: boolean }): void;',
    // Engine names are known once the engine loaded; until then spark is typed loosely.
    engineNames.length > 0
      ? `declare const spark: Awaited<ReturnType<typeof ${engine}.Session.start>>;`
      : 'declare const spark: { sql(query: string): Promise<any> };',
  ];
  for (const name of engineNames) {
    if (name !== 'Session' && name !== 'default') lines.push(`declare const ${name}: typeof ${engine}.${name};`);
  }
  return lines.join('\n') + '\n';
}
