import type { JsonValue } from '@quantpipe/core';
import { escapeHtml } from '../report/escape-html';
import { REPORT_STYLE } from '../report/html-report';
import { renderChartSvg, type ChartSpec } from '../report/render-svg';
import type { SweepSpec } from './sweep-spec';
import type { ConfigurationResult, SweepSummary } from './sweep-summary';

const WIDTH = 860;

const baseConfig = {
  font: 'Helvetica, Arial, sans-serif',
  axis: { labelFontSize: 11, titleFontSize: 12, grid: true, gridColor: '#eceff3' },
  legend: { orient: 'top', labelFontSize: 11, title: null },
  view: { stroke: null },
} as const;

/** A parameter value as short text (universes as their symbols joined). */
export function parameterText(value: JsonValue | undefined): string {
  if (value === undefined) return '';
  if (Array.isArray(value)) return value.map((v) => parameterText(v)).join(' ');
  return typeof value === 'string' ? value : JSON.stringify(value);
}

const fixed = (x: number | null | undefined, digits = 2): string =>
  x === null || x === undefined ? 'n/a' : x.toFixed(digits);
const pct = (x: number | null | undefined): string =>
  x === null || x === undefined ? 'n/a' : `${(x * 100).toFixed(2)}%`;
const shortKey = (key: string): string => key.replace(/^pipeline\./, '');

/**
 * The heatmap's cells: the objective over two keys. With more keys than two, a cell shows the
 * best configuration among those that share its two values.
 */
function heatmapCells(
  configurations: readonly ConfigurationResult[],
  x: string,
  y: string,
): { x: string; y: string; objective: number; paramIndex: number }[] {
  const cells = new Map<string, { x: string; y: string; objective: number; paramIndex: number }>();
  for (const c of configurations) {
    if (c.objective === null) continue;
    const cx = parameterText(c.parameters[x]);
    const cy = parameterText(c.parameters[y]);
    const key = JSON.stringify([cx, cy]);
    const seen = cells.get(key);
    if (!seen || c.objective > seen.objective)
      cells.set(key, { x: cx, y: cy, objective: c.objective, paramIndex: c.paramIndex });
  }
  return [...cells.values()];
}

/** The order a key's values were given in (the grid's, else first appearance). */
function valueOrder(spec: SweepSpec, configurations: readonly ConfigurationResult[], key: string) {
  const fromGrid = spec.grid?.[key]?.map((v) => parameterText(v));
  return fromGrid ?? [...new Set(configurations.map((c) => parameterText(c.parameters[key])))];
}

function heatmapSpec(spec: SweepSpec, summary: SweepSummary, x: string, y: string): ChartSpec {
  const cells = heatmapCells(summary.configurations, x, y);
  const xs = valueOrder(spec, summary.configurations, x);
  const ys = valueOrder(spec, summary.configurations, y);
  const cell = Math.max(18, Math.min(60, Math.floor(WIDTH / Math.max(1, xs.length))));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    width: Math.min(WIDTH, cell * xs.length),
    height: Math.min(420, Math.max(18, cell * 0.7) * ys.length),
    config: baseConfig,
    data: { values: cells },
    encoding: {
      x: { field: 'x', type: 'ordinal', title: shortKey(x), sort: xs },
      y: { field: 'y', type: 'ordinal', title: shortKey(y), sort: [...ys].reverse() },
    },
    layer: [
      {
        mark: { type: 'rect' },
        encoding: {
          color: {
            field: 'objective',
            type: 'quantitative',
            title: summary.objectiveLabel,
            scale: { scheme: 'redyellowgreen' },
          },
        },
      },
      {
        mark: { type: 'text', fontSize: 10 },
        encoding: { text: { field: 'objective', type: 'quantitative', format: '.2f' } },
      },
    ],
  } as ChartSpec;
}

function walkForwardSpec(summary: SweepSummary): ChartSpec | undefined {
  const wf = summary.walkForward;
  if (!wf || wf.stitched.dates.length === 0) return undefined;
  const rows: { date: string; series: string; value: number }[] = [];
  wf.stitched.dates.forEach((d, i) =>
    rows.push({
      date: d,
      series: 'Walk-forward (out-of-sample)',
      value: wf.stitched.equityUsd[i] as number,
    }),
  );
  if (wf.hindsight) {
    const label = `Best in hindsight, p${wf.hindsight.paramIndex} (in-sample)`;
    wf.hindsight.equity.dates.forEach((d, i) =>
      rows.push({ date: d, series: label, value: wf.hindsight?.equity.equityUsd[i] as number }),
    );
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    width: WIDTH,
    height: 240,
    config: baseConfig,
    data: { values: rows },
    mark: { type: 'line', strokeWidth: 1.4 },
    encoding: {
      x: { field: 'date', type: 'temporal', title: null },
      y: {
        field: 'value',
        type: 'quantitative',
        title: 'Equity (USD)',
        axis: { format: '~s' },
        scale: { zero: false },
      },
      color: { field: 'series', type: 'nominal' },
    },
  } as ChartSpec;
}

function pboSpec(summary: SweepSummary): ChartSpec | undefined {
  const bins = summary.pbo.logitHistogram;
  if (!bins) return undefined;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    width: WIDTH,
    height: 160,
    config: baseConfig,
    data: {
      values: bins.map((b) => ({
        from: b.from,
        to: b.from + 0.5,
        count: b.count,
        side: b.from < 0 ? 'overfit (λ ≤ 0)' : 'not overfit (λ > 0)',
      })),
    },
    mark: { type: 'bar' },
    encoding: {
      x: {
        field: 'from',
        type: 'quantitative',
        bin: { binned: true, step: 0.5 },
        title: 'logit λ',
      },
      x2: { field: 'to' },
      y: { field: 'count', type: 'quantitative', title: 'splits' },
      color: {
        field: 'side',
        type: 'nominal',
        scale: {
          range: ['#c0392b', '#27ae60'],
          domain: ['overfit (λ ≤ 0)', 'not overfit (λ > 0)'],
        },
      },
    },
  } as ChartSpec;
}

function rowsTable(headers: readonly string[], rows: readonly (readonly string[])[], id: string) {
  const head = `<tr>${headers.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr>`;
  const body = rows
    .map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`)
    .join('');
  return `<table class="grid" id="${id}"><thead>${head}</thead><tbody>${body}</tbody></table>`;
}

async function chartSection(id: string, title: string, caption: string, spec?: ChartSpec) {
  if (!spec) return '';
  const svg = await renderChartSvg(spec);
  return `<section class="chart" id="chart-${id}"><h2>${escapeHtml(title)}</h2><p class="caption">${escapeHtml(caption)}</p>${svg}</section>`;
}

const SWEEP_STYLE = `
.grid th,.grid td{padding:3px 8px;border-bottom:1px solid #eceff3;text-align:right;font-variant-numeric:tabular-nums}
.grid th{background:#f6f7f9}
.grid td:first-child,.grid th:first-child{text-align:left}
.figure{font-size:28px;font-weight:bold;margin:4px 0}
.figures{display:flex;gap:24px;flex-wrap:wrap}
.figures div{min-width:180px}
`;

/**
 * The sweep's self-contained HTML report (same style as the backtest report, charts rendered
 * to inline SVG): the overfitting statistics, the heatmap of the objective over two keys, the
 * top configurations, the walk-forward's stitched out-of-sample equity against the best
 * configuration in hindsight, each fold's choice, and the failed jobs.
 */
export async function buildSweepReport(spec: SweepSpec, summary: SweepSummary): Promise<string> {
  const keys = summary.parameterKeys;
  const heatmapKeys =
    summary.heatmap ??
    (keys.length >= 2 ? { x: keys[0] as string, y: keys[1] as string } : undefined);
  const dsr = summary.deflatedSharpe;
  const pbo = summary.pbo;
  const wf = summary.walkForward;
  const figures = [
    ['Configurations', String(summary.configurations.length)],
    [
      'Jobs',
      `${summary.jobs.done} done, ${summary.jobs.failed} failed${summary.jobs.missing ? `, ${summary.jobs.missing} missing` : ''}`,
    ],
    ['Deflated Sharpe ratio', dsr.value === null ? 'n/a' : fixed(dsr.value, 3)],
    ['Probability of backtest overfitting', pbo.value === null ? 'n/a' : fixed(pbo.value, 3)],
  ];
  const figureHtml = figures
    .map(
      ([l, v]) =>
        `<div><p class="caption">${escapeHtml(l as string)}</p><p class="figure">${escapeHtml(v as string)}</p></div>`,
    )
    .join('');
  const notes = [
    `DSR: the probability that the best configuration's Sharpe ratio (${fixed(dsr.sharpeAnnualized)} a year) is positive once ${dsr.trials} trials are accounted for: it must beat SR₀ = ${fixed(dsr.benchmarkSharpePerDay === undefined ? null : dsr.benchmarkSharpePerDay * Math.sqrt(252))} a year.${dsr.reason ? ` ${dsr.reason}.` : ''}`,
    `PBO: the share of ${pbo.combinations ?? 0} combinatorially symmetric splits (S = ${pbo.partitions}) in which the in-sample best configuration is at or below the median out-of-sample.${pbo.reason ? ` ${pbo.reason}.` : ''}`,
  ];
  const topRows = summary.top.map((c, i) => [
    String(i + 1),
    `p${c.paramIndex}`,
    ...keys.map((k) => parameterText(c.parameters[k])),
    fixed(c.objective, 3),
    fixed(c.sharpe),
    pct(c.totalReturn),
    pct(c.maxDrawdown),
  ]);
  const top = rowsTable(
    [
      '#',
      'config',
      ...keys.map(shortKey),
      summary.objectiveLabel,
      'Sharpe',
      'Total return',
      'Max drawdown',
    ],
    topRows,
    'top-table',
  );
  const foldTable = wf
    ? rowsTable(
        [
          'fold',
          'in-sample',
          'out-of-sample',
          'chosen',
          `${summary.objectiveLabel} IS`,
          `${summary.objectiveLabel} OOS`,
        ],
        wf.folds.map((f) => [
          String(f.index),
          `${f.inSample.start} → ${f.inSample.end}`,
          `${f.outOfSample.start} → ${f.outOfSample.end}`,
          f.chosenParamIndex === null ? 'none' : `p${f.chosenParamIndex}`,
          fixed(f.inSampleObjective, 3),
          fixed(f.outOfSampleObjective, 3),
        ]),
        'fold-table',
      )
    : '';
  const failures =
    summary.failures.length === 0
      ? ''
      : `<section id="failures"><h2>Failed jobs (${summary.failures.length})</h2>${rowsTable(
          ['job', 'error'],
          summary.failures.slice(0, 200).map((f) => [f.jobId, `${f.code}: ${f.message}`]),
          'failure-table',
        )}</section>`;
  const sections = [
    heatmapKeys
      ? await chartSection(
          'heatmap',
          `${summary.objectiveLabel} over ${shortKey(heatmapKeys.x)} × ${shortKey(heatmapKeys.y)}`,
          `${summary.evaluation === 'whole period' ? 'Each configuration over the whole period' : 'Each configuration out-of-sample, folds stitched'}${keys.length > 2 ? '; a cell shows the best configuration with its two values' : ''}.`,
          heatmapSpec(spec, summary, heatmapKeys.x, heatmapKeys.y),
        )
      : '',
    wf
      ? await chartSection(
          'walk-forward',
          'Walk-forward equity: out-of-sample against in-sample',
          `Each fold trades the configuration best in-sample on the next ${wf.folds[0]?.outOfSample.sessions ?? 0} sessions (${wf.mode}); the out-of-sample runs are chained. The in-sample line is the configuration best over the whole period, chosen with hindsight. Walk-forward Sharpe ${fixed(wf.sharpe)}, PSR ${fixed(wf.probabilisticSharpe, 3)}.`,
          walkForwardSpec(summary),
        )
      : '',
    await chartSection(
      'pbo',
      'Logits of the cross-validation splits',
      'λ = ln(ω / (1 − ω)), ω the out-of-sample relative rank of the in-sample best configuration; PBO is the share at or below 0.',
      pboSpec(summary),
    ),
  ];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Sweep ${escapeHtml(summary.sweepId)}</title><style>${REPORT_STYLE}${SWEEP_STYLE}</style></head>
<body><header><h1>Sweep ${escapeHtml(summary.sweepId)}</h1>
<p>${summary.configurations.length} configurations · ${summary.jobs.total} jobs · objective ${escapeHtml(summary.objectiveLabel)} · compared on the ${escapeHtml(summary.evaluation)}</p>
<p>${summary.best ? `Best: <span class="badge" id="best">p${summary.best.paramIndex}</span> ${escapeHtml(keys.map((k) => `${shortKey(k)} = ${parameterText(summary.best?.parameters[k])}`).join(', '))}` : 'No configuration finished.'}</p></header>
<main>
<section id="overfitting"><h2>Overfitting statistics</h2><div class="figures">${figureHtml}</div>${notes.map((n) => `<p class="caption">${escapeHtml(n)}</p>`).join('')}</section>
${sections[0]}
<section id="top"><h2>Top configurations</h2>${top}</section>
${sections[1]}
${wf ? `<section id="folds"><h2>Folds</h2>${foldTable}</section>` : ''}
${sections[2]}
${failures}
<section id="spec"><h2>Sweep spec</h2><pre>${escapeHtml(JSON.stringify(spec, null, 2))}</pre></section>
</main></body></html>
`;
}
