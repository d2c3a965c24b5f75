const SVG_NS = 'http://www.w3.org/2000/svg';

/** A small inline SVG line of the last N samples, scaled to `max` (or to the largest sample). */
export function sparkline(samples: number[], options: { width?: number; height?: number; max?: number; label: string }): SVGSVGElement {
  const width = options.width ?? 90;
  const height = options.height ?? 22;
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('width', String(width));
  svg.setAttribute('height', String(height));
  svg.setAttribute('class', 'sparkline');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', options.label);
  if (samples.length === 0) return svg;
  const max = Math.max(options.max ?? 0, ...samples, 1e-9);
  const step = samples.length > 1 ? width / (samples.length - 1) : width;
  const points = samples.map((value, i) => `${(i * step).toFixed(1)},${(height - 1 - (value / max) * (height - 2)).toFixed(1)}`);
  const area = document.createElementNS(SVG_NS, 'polygon');
  area.setAttribute('points', `0,${height} ${points.join(' ')} ${((samples.length - 1) * step).toFixed(1)},${height}`);
  area.setAttribute('class', 'spark-area');
  const line = document.createElementNS(SVG_NS, 'polyline');
  line.setAttribute('points', points.join(' '));
  line.setAttribute('class', 'spark-line');
  svg.append(area, line);
  return svg;
}
