import { marked } from 'marked';
import { sanitizeHtml } from '../outputs/sanitize.js';

/** Markdown cell and text/markdown output: rendered by marked, then sanitized by DOMPurify. */
export function renderMarkdown(source: string): DocumentFragment {
  const html = marked.parse(source, { async: false, gfm: true });
  return sanitizeHtml(html);
}
