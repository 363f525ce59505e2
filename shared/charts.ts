/**
 * Batch charts (issue 13) as a plain SVG tree built with d3-scale / d3-array: the app renders the
 * tree with React, the HTML report prints it as static SVG (no script). Attribute names are the
 * React (camelCase) ones; `svgToString` writes them kebab-cased, every text escaped.
 */
import { quantileSorted } from 'd3-array';
import { scaleLinear } from 'd3-scale';

export type SvgChild = SvgNode | string;
export interface SvgNode {
  tag: 'svg' | 'g' | 'rect' | 'circle' | 'line' | 'text' | 'title' | 'path';
  attrs: Record<string, string | number>;
  children?: SvgChild[];
}

const node = (tag: SvgNode['tag'], attrs: SvgNode['attrs'], children?: SvgChild[]): SvgNode => ({ tag, attrs, ...(children ? { children } : {}) });
const COLORS = ['#64748b', '#2563eb', '#16a34a', '#d97706'];
const round = (v: number) => Math.round(v * 10) / 10;

function extent(values: readonly number[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!Number.isFinite(lo)) return [0, 1];
  if (lo === hi) return [lo - 1, hi + 1];
  return [lo, hi];
}

/** A small deterministic jitter (no randomness: the same chart every time). */
const jitter = (i: number) => (((i * 2654435761) >>> 0) % 1000) / 1000 - 0.5;

export interface DistributionSeries {
  label: string;
  values: readonly number[];
}

/** Per arm one band: each row's value as a dot, the interquartile box and the median. */
export function distributionChart(series: readonly DistributionSeries[], options: { title: string; width?: number }): SvgNode {
  const width = options.width ?? 560;
  const band = 44;
  const left = 120;
  const top = 28;
  const height = top + series.length * band + 30;
  const x = scaleLinear().domain(extent(series.flatMap((s) => s.values))).nice().range([left, width - 16]);
  const children: SvgChild[] = [node('title', {}, [options.title]), node('text', { x: 8, y: 16, fontSize: 12, fontWeight: 600, fill: 'currentColor' }, [options.title])];
  series.forEach((s, index) => {
    const cy = top + index * band + band / 2;
    const color = COLORS[index % COLORS.length]!;
    children.push(node('text', { x: left - 8, y: cy + 4, fontSize: 11, textAnchor: 'end', fill: 'currentColor' }, [s.label]));
    const sorted = [...s.values].sort((a, b) => a - b);
    if (sorted.length > 0) {
      const q1 = quantileSorted(sorted, 0.25)!;
      const q3 = quantileSorted(sorted, 0.75)!;
      const med = quantileSorted(sorted, 0.5)!;
      children.push(node('rect', { x: round(x(q1)), y: cy - 12, width: Math.max(1, round(x(q3) - x(q1))), height: 24, fill: color, fillOpacity: 0.15, stroke: color }));
      children.push(node('line', { x1: round(x(med)), x2: round(x(med)), y1: cy - 14, y2: cy + 14, stroke: color, strokeWidth: 2 }));
    }
    s.values.forEach((v, i) => children.push(node('circle', { cx: round(x(v)), cy: round(cy + jitter(i) * 16), r: 2.5, fill: color, fillOpacity: 0.7 })));
  });
  const axisY = top + series.length * band + 6;
  children.push(node('line', { x1: left, x2: width - 16, y1: axisY, y2: axisY, stroke: 'currentColor', strokeOpacity: 0.4 }));
  for (const tick of x.ticks(6)) {
    children.push(node('line', { x1: round(x(tick)), x2: round(x(tick)), y1: axisY, y2: axisY + 4, stroke: 'currentColor', strokeOpacity: 0.4 }));
    children.push(node('text', { x: round(x(tick)), y: axisY + 16, fontSize: 10, textAnchor: 'middle', fill: 'currentColor' }, [String(tick)]));
  }
  return node('svg', { xmlns: 'http://www.w3.org/2000/svg', viewBox: `0 0 ${width} ${height}`, width, height, role: 'img', ariaLabel: options.title }, children);
}

/** Each row's baseline value (x) against the mitigated arm's (y), with the line of no change. */
export function scatterChart(pairs: readonly (readonly [number, number])[], options: { title: string; xLabel: string; yLabel: string; size?: number }): SvgNode {
  const size = options.size ?? 300;
  const pad = 40;
  const domain = extent(pairs.flatMap(([a, b]) => [a, b]));
  const x = scaleLinear().domain(domain).nice().range([pad, size - 12]);
  const y = scaleLinear().domain(x.domain()).range([size - pad, 24]);
  const [lo, hi] = x.domain() as [number, number];
  const children: SvgChild[] = [
    node('title', {}, [options.title]),
    node('text', { x: 8, y: 14, fontSize: 12, fontWeight: 600, fill: 'currentColor' }, [options.title]),
    node('line', { x1: round(x(lo)), y1: round(y(lo)), x2: round(x(hi)), y2: round(y(hi)), stroke: 'currentColor', strokeOpacity: 0.35, strokeDasharray: '4 3' }),
    node('line', { x1: pad, x2: size - 12, y1: size - pad, y2: size - pad, stroke: 'currentColor', strokeOpacity: 0.4 }),
    node('line', { x1: pad, x2: pad, y1: 24, y2: size - pad, stroke: 'currentColor', strokeOpacity: 0.4 }),
    node('text', { x: size / 2, y: size - 8, fontSize: 10, textAnchor: 'middle', fill: 'currentColor' }, [options.xLabel]),
    node('text', { x: 10, y: size / 2, fontSize: 10, textAnchor: 'middle', fill: 'currentColor', transform: `rotate(-90 10 ${size / 2})` }, [options.yLabel]),
  ];
  for (const tick of x.ticks(5)) {
    children.push(node('text', { x: round(x(tick)), y: size - pad + 14, fontSize: 9, textAnchor: 'middle', fill: 'currentColor' }, [String(tick)]));
    children.push(node('text', { x: pad - 4, y: round(y(tick)) + 3, fontSize: 9, textAnchor: 'end', fill: 'currentColor' }, [String(tick)]));
  }
  pairs.forEach(([a, b], i) => children.push(node('circle', { cx: round(x(a) + jitter(i) * 4), cy: round(y(b) + jitter(i + 7) * 4), r: 3, fill: COLORS[1]!, fillOpacity: 0.6 })));
  return node('svg', { xmlns: 'http://www.w3.org/2000/svg', viewBox: `0 0 ${size} ${size}`, width: size, height: size, role: 'img', ariaLabel: options.title }, children);
}

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const kebab = (name: string) => (name === 'viewBox' ? name : name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`));

/** Static SVG markup (for the HTML report): attributes kebab-cased, all text escaped, no script. */
export function svgToString(tree: SvgChild): string {
  if (typeof tree === 'string') return escapeXml(tree);
  const attrs = Object.entries(tree.attrs)
    .map(([k, v]) => ` ${kebab(k)}="${escapeXml(String(v))}"`)
    .join('');
  return `<${tree.tag}${attrs}>${(tree.children ?? []).map(svgToString).join('')}</${tree.tag}>`;
}
