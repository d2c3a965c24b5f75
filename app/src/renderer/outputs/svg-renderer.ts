import type { MimeRenderer } from './types.js';
import { sanitizeSvg } from './sanitize.js';

export const svgRenderer: MimeRenderer = {
  mimeType: 'image/svg+xml',
  render(host, data) {
    host.classList.add('output-image');
    host.append(sanitizeSvg(String(data['image/svg+xml'])));
  },
};
