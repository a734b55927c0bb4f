/** A small inline SVG line of values 0–100 over the last minutes; decorative (the number is shown beside it). */
import { svg } from '../dom.ts';

const WIDTH = 64;
const HEIGHT = 16;

/**
 * `points` are [time, value] pairs. The x axis ends at `now` and spans the data's age, at least a
 * minute and at most `windowMs`, so a device that joined a moment ago already shows a shape.
 */
export function sparkline(
  points: readonly [number, number][],
  now: number,
  windowMs: number,
  max = 100,
): SVGElement {
  const recent = points.filter(([at]) => now - at <= windowMs);
  const span = Math.min(windowMs, Math.max(60_000, now - (recent[0]?.[0] ?? now)));
  const x = (at: number) => WIDTH - ((now - at) / span) * WIDTH;
  const y = (value: number) => HEIGHT - 1 - (Math.min(max, Math.max(0, value)) / max) * (HEIGHT - 2);
  const xy = recent.map(([at, value]) => [x(at), y(value)] as const);
  // A single sample is drawn as a short flat stroke, so a device that just joined shows something.
  if (xy.length === 1) xy.unshift([Math.max(0, xy[0]![0] - 3), xy[0]![1]]);
  const coords = xy.map(([px, py]) => `${px.toFixed(1)},${py.toFixed(1)}`);
  return svg(
    'svg',
    {
      class: 'spark',
      viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
      width: WIDTH,
      height: HEIGHT,
      'aria-hidden': 'true',
      focusable: 'false',
    },
    // A faint baseline gives the line a frame of reference (0 %) even when it is flat.
    svg('line', {
      x1: 0,
      y1: HEIGHT - 0.5,
      x2: WIDTH,
      y2: HEIGHT - 0.5,
      stroke: 'currentColor',
      'stroke-opacity': 0.3,
    }),
    svg('polyline', { points: coords.join(' '), fill: 'none', stroke: 'currentColor', 'stroke-width': 1.5 }),
  );
}

/** Bars for counts (throughput per bucket). */
export function bars(values: readonly number[]): SVGElement {
  const max = Math.max(1, ...values);
  const w = WIDTH / values.length;
  return svg(
    'svg',
    {
      class: 'spark',
      viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
      width: WIDTH,
      height: HEIGHT,
      'aria-hidden': 'true',
      focusable: 'false',
    },
    ...values.map((v, i) => {
      const hgt = v === 0 ? 0.5 : Math.max(1.5, (v / max) * HEIGHT);
      return svg('rect', {
        x: (i * w + 0.5).toFixed(1),
        y: (HEIGHT - hgt).toFixed(1),
        width: (w - 1).toFixed(1),
        height: hgt.toFixed(1),
        fill: 'currentColor',
      });
    }),
  );
}
