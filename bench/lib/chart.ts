/** A dependency-free SVG line chart: tasks/s against the number of workers, one line per series. */
export interface Series {
  name: string;
  color: string;
  points: { x: number; y: number }[];
}

const W = 720;
const H = 400;
const M = { top: 56, right: 150, bottom: 50, left: 80 };

export function lineChart(
  title: string,
  xLabel: string,
  yLabel: string,
  series: readonly Series[],
  /** A line under the title (what the chart leaves out, say). */
  subtitle = '',
  /** Dashed horizontal lines (targets). */
  references: readonly { y: number; label: string }[] = [],
): string {
  const xs = [...new Set(series.flatMap((s) => s.points.map((p) => p.x)))].sort((a, b) => a - b);
  const yMax = niceCeil(
    Math.max(1, ...series.flatMap((s) => s.points.map((p) => p.y)), ...references.map((r) => r.y)),
  );
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  // Workers double from point to point, so the x axis is logarithmic (evenly spaced 1, 2, 4, 8).
  const xPos = (x: number) =>
    xs.length <= 1 ? M.left + plotW / 2 : M.left + (xs.indexOf(x) / (xs.length - 1)) * plotW;
  const yPos = (y: number) => M.top + plotH - (y / yMax) * plotH;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="monospace" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="${W / 2 - M.right / 2}" y="18" text-anchor="middle" font-size="14">${escape(title)}</text>`,
    `<text x="${W / 2 - M.right / 2}" y="33" text-anchor="middle" font-size="11" fill="#555">${escape(subtitle)}</text>`,
  ];
  for (let i = 0; i <= 5; i++) {
    const y = (yMax / 5) * i;
    parts.push(
      `<line x1="${M.left}" x2="${M.left + plotW}" y1="${yPos(y)}" y2="${yPos(y)}" stroke="#ddd"/>`,
      `<text x="${M.left - 8}" y="${yPos(y) + 4}" text-anchor="end">${Math.round(y).toLocaleString('en')}</text>`,
    );
  }
  for (const x of xs) {
    parts.push(`<text x="${xPos(x)}" y="${M.top + plotH + 18}" text-anchor="middle">${x}</text>`);
  }
  parts.push(
    `<line x1="${M.left}" x2="${M.left}" y1="${M.top}" y2="${M.top + plotH}" stroke="#000"/>`,
    `<line x1="${M.left}" x2="${M.left + plotW}" y1="${M.top + plotH}" y2="${M.top + plotH}" stroke="#000"/>`,
    `<text x="${M.left + plotW / 2}" y="${H - 10}" text-anchor="middle">${escape(xLabel)}</text>`,
    `<text transform="translate(16 ${M.top + plotH / 2}) rotate(-90)" text-anchor="middle">${escape(yLabel)}</text>`,
  );
  for (const ref of references) {
    parts.push(
      `<line x1="${M.left}" x2="${M.left + plotW}" y1="${yPos(ref.y)}" y2="${yPos(ref.y)}" stroke="#c00" stroke-dasharray="6 4"/>`,
      `<text x="${M.left + plotW - 4}" y="${yPos(ref.y) - 5}" text-anchor="end" fill="#c00">${escape(ref.label)}</text>`,
    );
  }
  series.forEach((s, i) => {
    const points = [...s.points].sort((a, b) => a.x - b.x);
    const path = points.map((p) => `${xPos(p.x)},${yPos(p.y)}`).join(' ');
    parts.push(`<polyline points="${path}" fill="none" stroke="${s.color}" stroke-width="2"/>`);
    for (const p of points) {
      parts.push(
        `<circle cx="${xPos(p.x)}" cy="${yPos(p.y)}" r="3.5" fill="${s.color}"><title>${escape(s.name)}: ${p.x} -> ${Math.round(p.y)}</title></circle>`,
      );
    }
    const ly = M.top + 10 + i * 20;
    parts.push(
      `<line x1="${W - M.right + 15}" x2="${W - M.right + 35}" y1="${ly}" y2="${ly}" stroke="${s.color}" stroke-width="2"/>`,
      `<text x="${W - M.right + 40}" y="${ly + 4}">${escape(s.name)}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}

function niceCeil(value: number): number {
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * magnitude >= value) return step * magnitude;
  return 10 * magnitude;
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
