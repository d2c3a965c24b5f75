import type { MimeRenderer } from './types.js';
import { stripAnsi } from './ansi.js';
import { TruncatedText } from './truncated-text.js';

export const plainTextRenderer: MimeRenderer = {
  mimeType: 'text/plain',
  render(host, data) {
    const text = new TruncatedText('output-text');
    text.setText(stripAnsi(String(data['text/plain'])));
    host.append(text.element);
  },
};

export const jsonRenderer: MimeRenderer = {
  mimeType: 'application/json',
  render(host, data) {
    const text = new TruncatedText('output-text');
    text.setText(JSON.stringify(data['application/json'], null, 2));
    host.append(text.element);
  },
};
