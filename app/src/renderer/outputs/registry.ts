import type { MimeBundle } from '../model/ipynb.js';
import { arrowTableRenderer } from './arrow-table-renderer.js';
import { htmlRenderer } from './html-renderer.js';
import { gifRenderer, jpegRenderer, pngRenderer } from './image-renderer.js';
import { markdownRenderer } from './markdown-renderer.js';
import { progressRenderer } from './progress-renderer.js';
import { svgRenderer } from './svg-renderer.js';
import { jsonRenderer, plainTextRenderer } from './text-renderer.js';
import type { MimeRenderer } from './types.js';
import { vegaLiteRenderer } from './vegalite-renderer.js';

/** Richest first: a bundle is drawn by the first renderer whose mime type it carries. */
const RENDERERS: MimeRenderer[] = [
  progressRenderer,
  arrowTableRenderer,
  vegaLiteRenderer,
  htmlRenderer,
  svgRenderer,
  pngRenderer,
  jpegRenderer,
  gifRenderer,
  markdownRenderer,
  jsonRenderer,
  plainTextRenderer,
];

export function pickRenderer(data: MimeBundle): MimeRenderer | null {
  return RENDERERS.find((renderer) => renderer.mimeType in data) ?? null;
}
