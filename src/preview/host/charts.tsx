// BarChart and LineChart as SVG, in HubSpot's chart colours, with the data also as a table for
// screen readers. Options the preview does not draw are preview errors like any other prop.
import type { BarChartProps } from '@hubspot/ui-extensions';
import type { Issue } from './components';

const COLOURS: Record<string, string> = {
  orange: '#ff7a59',
  aqua: '#00bda5',
  purple: '#6a78d1',
  yellow: '#f5c26b',
  pink: '#ea90b1',
  blue: '#00a4bd',
  green: '#00bda5',
  darkOrange: '#e5603d',
  darkAqua: '#00a38d',
  darkPurple: '#4a57a8',
  darkYellow: '#d9a540',
  darkPink: '#c35f88',
  darkBlue: '#0091ae',
  darkGreen: '#00806e',
};
const DEFAULT_ORDER = ['orange', 'aqua', 'purple', 'yellow', 'pink', 'blue', 'green'];

const W = 640;
const H = 260;
const M = { top: 16, right: 16, bottom: 44, left: 52 };

function checkKeys(issue: Issue, where: string, value: object | undefined, allowed: string[]): void {
  for (const k of Object.keys(value ?? {})) if (!allowed.includes(k)) issue(`${where}.${k} is not rendered by the preview.`);
}

function niceMax(max: number): number {
  if (max <= 0) return 1;
  const step = 10 ** Math.floor(Math.log10(max));
  return Math.ceil(max / step) * step;
}

function formatX(value: string | number, type: string): string {
  if (type !== 'datetime') return String(value);
  const d = new Date(typeof value === 'number' ? value : String(value));
  return Number.isNaN(d.getTime()) ? String(value) : d.toLocaleDateString('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });
}

export function Chart({ kind, data, axes, options, issue, testId }: BarChartProps & { kind: 'bar' | 'line'; issue: Issue }) {
  const rows = Array.isArray(data) ? data : data.data;
  checkKeys(issue, 'options', options, ['title', 'showLegend', 'showTooltips', 'showDataLabels', 'colorList', 'colors']);
  checkKeys(issue, 'axes', axes, ['x', 'y', 'options']);
  checkKeys(issue, 'axes.options', axes.options, ['groupFieldByColor', 'colors']);
  if (!Array.isArray(data)) checkKeys(issue, 'data.options', data.options, []);
  for (const [name, axis] of [
    ['x', axes.x],
    ['y', axes.y],
  ] as const) {
    if (!['category', 'datetime', 'linear'].includes(axis.fieldType))
      issue(`axes.${name}.fieldType ${JSON.stringify(axis.fieldType)} is not rendered by the preview.`);
  }
  if (axes.y.fieldType !== 'linear') issue('a y axis that is not linear is not rendered by the preview.');
  const group = axes.options?.groupFieldByColor;
  const seriesNames = group ? [...new Set(rows.map((r) => String(r[group])))] : [axes.y.label ?? axes.y.field];
  const palette = (options?.colorList ?? options?.colors ?? DEFAULT_ORDER).map(
    (c) => COLOURS[c] ?? (issue(`colour ${JSON.stringify(c)} is not rendered by the preview.`), '#7c98b6'),
  );
  const colourOf = (name: string, i: number) => COLOURS[axes.options?.colors?.[name] ?? ''] ?? palette[i % palette.length]!;

  let xs = [...new Set(rows.map((r) => r[axes.x.field]!))];
  if (axes.x.fieldType === 'datetime' || axes.x.fieldType === 'linear')
    xs = xs.sort((a, b) => (axes.x.fieldType === 'linear' ? Number(a) - Number(b) : new Date(a).getTime() - new Date(b).getTime()));
  const valueAt = (x: string | number, series: string, i: number) => {
    const row = rows.find((r) => r[axes.x.field] === x && (!group || String(r[group]) === series));
    void i;
    return row ? Number(row[axes.y.field]) : undefined;
  };
  const max = niceMax(Math.max(0, ...rows.map((r) => Number(r[axes.y.field]) || 0)));
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  const y = (v: number) => M.top + plotH - (v / max) * plotH;
  const band = plotW / Math.max(1, xs.length);
  const xCenter = (i: number) => M.left + band * i + band / 2;
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => f * max);
  const labelEvery = Math.max(1, Math.ceil(xs.length / 8));

  return (
    <figure className="hs-chart" data-testid={testId}>
      {options?.title ? <figcaption className="hs-chart-title">{options.title}</figcaption> : null}
      <svg
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-label={options?.title ?? `${kind === 'bar' ? 'Bar' : 'Line'} chart`}
        className="hs-chart-svg"
      >
        {ticks.map((t) => (
          <g key={t}>
            <line x1={M.left} x2={W - M.right} y1={y(t)} y2={y(t)} stroke="#eaf0f6" />
            <text x={M.left - 8} y={y(t) + 4} textAnchor="end" className="hs-chart-tick">
              {Number.isInteger(t) ? t : t.toFixed(1)}
            </text>
          </g>
        ))}
        {xs.map((x, i) =>
          i % labelEvery === 0 ? (
            <text key={String(x)} x={xCenter(i)} y={H - M.bottom + 18} textAnchor="middle" className="hs-chart-tick">
              {formatX(x, axes.x.fieldType)}
            </text>
          ) : null,
        )}
        {axes.x.label ? (
          <text x={M.left + plotW / 2} y={H - 6} textAnchor="middle" className="hs-chart-axis">
            {axes.x.label}
          </text>
        ) : null}
        {axes.y.label ? (
          <text
            x={14}
            y={M.top + plotH / 2}
            textAnchor="middle"
            transform={`rotate(-90 14 ${M.top + plotH / 2})`}
            className="hs-chart-axis"
          >
            {axes.y.label}
          </text>
        ) : null}
        {kind === 'bar'
          ? seriesNames.map((s, si) =>
              xs.map((x, i) => {
                const v = valueAt(x, s, i);
                if (v === undefined) return null;
                const w = (band * 0.7) / seriesNames.length;
                const left = M.left + band * i + band * 0.15 + w * si;
                return (
                  <g key={`${s}-${String(x)}`}>
                    <rect x={left} y={y(v)} width={w} height={M.top + plotH - y(v)} fill={colourOf(s, si)} rx="2">
                      {options?.showTooltips ? <title>{`${formatX(x, axes.x.fieldType)}: ${v}`}</title> : null}
                    </rect>
                    {options?.showDataLabels ? (
                      <text x={left + w / 2} y={y(v) - 4} textAnchor="middle" className="hs-chart-tick">
                        {v}
                      </text>
                    ) : null}
                  </g>
                );
              }),
            )
          : seriesNames.map((s, si) => {
              const points = xs.map((x, i) => ({ x, i, v: valueAt(x, s, i) })).filter((p) => p.v !== undefined) as {
                x: string | number;
                i: number;
                v: number;
              }[];
              return (
                <g key={s}>
                  <polyline
                    fill="none"
                    stroke={colourOf(s, si)}
                    strokeWidth="2.5"
                    points={points.map((p) => `${xCenter(p.i)},${y(p.v)}`).join(' ')}
                  />
                  {points.map((p) => (
                    <circle key={String(p.x)} cx={xCenter(p.i)} cy={y(p.v)} r="3.5" fill={colourOf(s, si)}>
                      {options?.showTooltips ? <title>{`${formatX(p.x, axes.x.fieldType)}: ${p.v}`}</title> : null}
                    </circle>
                  ))}
                </g>
              );
            })}
      </svg>
      {options?.showLegend || seriesNames.length > 1 ? (
        <ul className="hs-chart-legend">
          {seriesNames.map((s, si) => (
            <li key={s}>
              <span style={{ background: colourOf(s, si) }} aria-hidden="true" />
              {s}
            </li>
          ))}
        </ul>
      ) : null}
      <table className="hs-sr-only">
        <caption>{options?.title ?? 'Chart data'}</caption>
        <thead>
          <tr>
            <th scope="col">{axes.x.label ?? axes.x.field}</th>
            {group ? <th scope="col">{group}</th> : null}
            <th scope="col">{axes.y.label ?? axes.y.field}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i}>
              <td>{formatX(r[axes.x.field]!, axes.x.fieldType)}</td>
              {group ? <td>{String(r[group])}</td> : null}
              <td>{r[axes.y.field]}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
