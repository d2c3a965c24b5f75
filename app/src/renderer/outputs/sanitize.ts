import DOMPurify from 'dompurify';

/** Kernel HTML and SVG are untrusted: scripts, handlers and foreign frames are removed. */
export function sanitizeHtml(html: string): DocumentFragment {
  return DOMPurify.sanitize(html, { RETURN_DOM_FRAGMENT: true, FORBID_TAGS: ['style', 'form'], ADD_ATTR: ['target'] });
}

export function sanitizeSvg(svg: string): DocumentFragment {
  return DOMPurify.sanitize(svg, { RETURN_DOM_FRAGMENT: true, USE_PROFILES: { svg: true, svgFilters: true } });
}
