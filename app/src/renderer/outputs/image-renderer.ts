import { h } from '../dom.js';
import type { MimeRenderer } from './types.js';

function imageRenderer(mimeType: 'image/png' | 'image/jpeg' | 'image/gif'): MimeRenderer {
  return {
    mimeType,
    render(host, data) {
      const base64 = String(data[mimeType]).replace(/\s/g, '');
      host.classList.add('output-image');
      host.append(h('img', { src: `data:${mimeType};base64,${base64}`, alt: 'image output' }));
    },
  };
}

export const pngRenderer = imageRenderer('image/png');
export const jpegRenderer = imageRenderer('image/jpeg');
export const gifRenderer = imageRenderer('image/gif');
