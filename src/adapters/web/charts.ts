import type { Html } from './html.js';
import { html } from './html.js';

export interface ChartPoint {
  readonly at: Date;
  readonly value: number;
}

export interface StepChart {
  /** Read by screen readers first (the SVG's `<title>`), e.g. `Production readiness score`. */
  readonly title: string;
  readonly points: readonly ChartPoint[];
  /** The value axis: 0..max, with a label per tick (e.g. levels), or numbers when absent. */
  readonly max: number;
  readonly ticks?: ReadonlyArray<{ readonly value: number; readonly label: string }> | undefined;
  /** How a value reads in the text alternative: `72/100`, `Silver`. */
  readonly format: (value: number) => string;
  /** The right edge of the time axis (now). */
  readonly until: Date;
}

const W = 640;
const H = 180;
const LEFT = 76;
const RIGHT = 12;
const TOP = 12;
const BOTTOM = 28;

const day = (d: Date): string => d.toISOString().slice(0, 10);
const round = (n: number): number => Math.round(n * 10) / 10;

/**
 * A step chart drawn on the server as SVG: a value holds until the next point (history is stored
 * only when something changed). No script, no inline style (the CSP allows neither); colours
 * come from the stylesheet's classes. The text alternative is the SVG's `<title>` and `<desc>`,
 * and the same points as a table under a `<details>` for anyone who would rather read numbers.
 */
export function stepChart(chart: StepChart): Html {
  const points = [...chart.points].sort((a, b) => a.at.getTime() - b.at.getTime());
  const first = points[0];
  if (!first) return html`<p class="muted">No history yet for ${chart.title}.</p>`;
  const start = first.at.getTime();
  const end = Math.max(chart.until.getTime(), start + 86_400_000);
  const x = (t: number): number => round(LEFT + ((t - start) / (end - start)) * (W - LEFT - RIGHT));
  const y = (v: number): number => round(TOP + (1 - v / (chart.max || 1)) * (H - TOP - BOTTOM));
  let d = `M${x(start)},${y(first.value)}`;
  for (const p of points.slice(1)) d += ` H${x(p.at.getTime())} V${y(p.value)}`;
  d += ` H${x(end)}`;
  const ticks = chart.ticks ?? [0, chart.max / 2, chart.max].map((v) => ({ value: v, label: String(round(v)) }));
  const last = points[points.length - 1]!;
  const desc = `From ${day(first.at)} (${chart.format(first.value)}) to ${day(chart.until)} (${chart.format(last.value)}), ${points.length} change${points.length === 1 ? '' : 's'}.`;
  const id = `c${Math.abs(hash(chart.title + desc)).toString(36)}`;
  return html`<figure class="chart">
<svg viewBox="0 0 ${W} ${H}" role="img" aria-labelledby="${id}-t ${id}-d" preserveAspectRatio="xMinYMin meet">
<title id="${id}-t">${chart.title}</title><desc id="${id}-d">${desc}</desc>
${ticks.map((t) => html`<line class="grid" x1="${LEFT}" x2="${W - RIGHT}" y1="${y(t.value)}" y2="${y(t.value)}"/><text class="tick" x="${LEFT - 6}" y="${y(t.value) + 4}" text-anchor="end">${t.label}</text>`)}
<text class="tick" x="${LEFT}" y="${H - 8}">${day(first.at)}</text><text class="tick" x="${W - RIGHT}" y="${H - 8}" text-anchor="end">${day(chart.until)}</text>
<path class="line" d="${d}"/>
${points.map((p) => html`<circle class="dot" cx="${x(p.at.getTime())}" cy="${y(p.value)}" r="3"/>`)}
</svg>
<figcaption><details><summary>${chart.title} as a table</summary>
<table><thead><tr><th scope="col">Since</th><th scope="col">Value</th></tr></thead><tbody>
${points.map((p) => html`<tr><td>${day(p.at)}</td><td>${chart.format(p.value)}</td></tr>`)}
</tbody></table></details></figcaption>
</figure>`;
}

export interface BarSegment {
  readonly label: string;
  readonly count: number;
  /** A stylesheet class for the colour: `l0` (no level) … `l5`. */
  readonly tone: string;
}

/** One horizontal bar split by share (a scorecard's level distribution), with its numbers in a list beside it. */
export function distributionBar(title: string, segments: readonly BarSegment[]): Html {
  const total = segments.reduce((n, s) => n + s.count, 0);
  const summary = segments.map((s) => `${s.label} ${s.count}`).join(', ');
  let at = 0;
  const rects = segments
    .filter((s) => s.count > 0)
    .map((s) => {
      const width = total === 0 ? 0 : round((s.count / total) * 100);
      const rect = html`<rect class="${s.tone}" x="${at}" y="0" width="${width}" height="10"/>`;
      at = round(at + width);
      return rect;
    });
  return html`<svg class="bar" viewBox="0 0 100 10" preserveAspectRatio="none" role="img" aria-label="${title}: ${summary}">${rects}</svg>
<ul class="legend">${segments.map((s) => html`<li><span class="swatch ${s.tone}" aria-hidden="true"></span>${s.label}: ${s.count}</li>`)}</ul>`;
}

function hash(text: string): number {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) | 0;
  return h;
}
