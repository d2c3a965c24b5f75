import { renderMarkdown } from '../notebook/markdown.js';
import type { MimeRenderer } from './types.js';

export const markdownRenderer: MimeRenderer = {
  mimeType: 'text/markdown',
  render(host, data) {
    host.classList.add('output-html', 'markdown-body');
    host.append(renderMarkdown(String(data['text/markdown'])));
  },
};
