/**
 * Renders a notebook as one standalone HTML file for readers without Quire: markdown cells through
 * marked, code as escaped text, outputs by their richest safe representation (SVG charts, HTML
 * tables, PNG/JPEG images, markdown, plain text). Everything that came from the notebook as HTML or
 * SVG passes through DOMPurify (on a jsdom window) first, so the file runs no notebook script.
 */
import createDOMPurify from 'dompurify';
import { JSDOM } from 'jsdom';
import { marked } from 'marked';
import type { Notebook } from '../storage/notebook-format.js';

type Bundle = Record<string, unknown>;
type Output = Record<string, unknown>;

const window = new JSDOM('').window;
const purify = createDOMPurify(window as unknown as Parameters<typeof createDOMPurify>[0]);

function text(value: unknown): string {
  return Array.isArray(value) ? value.join('') : typeof value === 'string' ? value : '';
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function stripAnsi(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '');
}

function sanitizeHtml(html: string): string {
  return purify.sanitize(html, { USE_PROFILES: { html: true, svg: true } });
}

function renderBundle(data: Bundle): string {
  if (data['image/svg+xml'] !== undefined) return `<div class="svg">${purify.sanitize(text(data['image/svg+xml']), { USE_PROFILES: { svg: true, svgFilters: true } })}</div>`;
  if (data['text/html'] !== undefined) return `<div class="html">${sanitizeHtml(text(data['text/html']))}</div>`;
  for (const mime of ['image/png', 'image/jpeg', 'image/gif']) {
    const base64 = text(data[mime]).replace(/\s/g, '');
    if (base64 && /^[A-Za-z0-9+/=]+$/.test(base64)) return `<img alt="output" src="data:${mime};base64,${base64}">`;
  }
  if (data['text/markdown'] !== undefined) return `<div class="markdown">${sanitizeHtml(marked.parse(text(data['text/markdown']), { async: false }))}</div>`;
  if (data['text/plain'] !== undefined) return `<pre>${escapeHtml(text(data['text/plain']))}</pre>`;
  const mimes = Object.keys(data);
  return `<p class="unsupported">(output of type ${escapeHtml(mimes.join(', ') || 'none')} not shown in this export)</p>`;
}

function renderOutput(output: Output): string {
  switch (output.output_type) {
    case 'stream':
      return `<pre class="stream ${output.name === 'stderr' ? 'stderr' : 'stdout'}">${escapeHtml(text(output.text))}</pre>`;
    case 'error':
      return `<pre class="error">${escapeHtml(stripAnsi(`${text(output.ename)}: ${text(output.evalue)}\n${(output.traceback as string[]).join('\n')}`))}</pre>`;
    default:
      return renderBundle((output.data ?? {}) as Bundle);
  }
}

function renderCell(cell: Record<string, unknown>): string {
  const source = text(cell.source);
  if (cell.cell_type === 'markdown') return `<section class="cell markdown">${sanitizeHtml(marked.parse(source, { async: false }))}</section>`;
  if (cell.cell_type === 'raw') return `<section class="cell raw"><pre>${escapeHtml(source)}</pre></section>`;
  const count = cell.execution_count == null ? ' ' : String(cell.execution_count);
  const outputs = (cell.outputs as Output[]).map(renderOutput).join('\n');
  return `<section class="cell code"><div class="prompt">[${escapeHtml(count)}]</div><pre class="source"><code>${escapeHtml(source)}</code></pre>${outputs ? `<div class="outputs">${outputs}</div>` : ''}</section>`;
}

const STYLE = `body{font-family:system-ui,sans-serif;max-width:960px;margin:2rem auto;padding:0 1rem;color:#1d1d1f}
.cell{margin:1rem 0}.code .source{background:#f5f5f7;border:1px solid #ddd;border-radius:4px;padding:.6rem;overflow:auto}
.prompt{color:#888;font-family:monospace;font-size:.8rem}.outputs{margin-top:.4rem}.outputs pre{margin:.3rem 0;overflow:auto}
.stderr{background:#fff4f4}.error{background:#fdecea;color:#8a1c1c;padding:.5rem}table{border-collapse:collapse}
td,th{border:1px solid #ccc;padding:.2rem .5rem}.svg svg{max-width:100%;height:auto}img{max-width:100%}`;

export function notebookToHtml(notebook: Notebook, title: string): string {
  const cells = notebook.cells.map(renderCell).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><main>
${cells}
</main></body></html>
`;
}
