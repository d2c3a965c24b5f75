import type { MimeRenderer } from './types.js';
import { sanitizeHtml } from './sanitize.js';
import { TruncatedText } from './truncated-text.js';
import { OUTPUT_TEXT_LIMIT } from './types.js';

export const htmlRenderer: MimeRenderer = {
  mimeType: 'text/html',
  render(host, data) {
    const html = String(data['text/html']);
    if (html.length > OUTPUT_TEXT_LIMIT * 10) {
      // Parsing megabytes of markup would stall the page: show it as text instead.
      const text = new TruncatedText('output-text');
      text.setText(html);
      host.append(text.element);
      return;
    }
    host.classList.add('output-html');
    host.append(sanitizeHtml(html));
  },
};
