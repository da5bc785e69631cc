import type { BacktestResult } from '../result/backtest-result';
import { reportCharts } from './chart-specs';
import { dataWarningsSection } from './data-warnings-section';
import { escapeHtml } from './escape-html';
import { monthlyReturns, type YearReturns } from './monthly-returns';
import { renderChartSvg } from './render-svg';

/** One row of the report's metrics table. */
export interface MetricLine {
  readonly label: string;
  readonly text: string;
}

export { escapeHtml };

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

/** Background colour of a monthly-return cell: green up, red down, saturating at ±10 %. */
function cellColour(r: number): string {
  const strength = Math.min(1, Math.abs(r) / 0.1);
  const alpha = (0.12 + 0.6 * strength).toFixed(2);
  return r >= 0 ? `rgba(39,174,96,${alpha})` : `rgba(192,57,43,${alpha})`;
}

function monthlyTable(years: readonly YearReturns[]): string {
  const head = `<tr><th>Year</th>${MONTHS.map((m) => `<th>${m}</th>`).join('')}<th>Year</th></tr>`;
  const rows = years.map((y) => {
    const cells = y.months
      .map((r) =>
        r === undefined ? '<td></td>' : `<td style="background:${cellColour(r)}">${pct(r)}</td>`,
      )
      .join('');
    return `<tr><th>${y.year}</th>${cells}<td class="year" style="background:${cellColour(y.yearReturn)}">${pct(y.yearReturn)}</td></tr>`;
  });
  return `<table class="monthly"><thead>${head}</thead><tbody>${rows.join('')}</tbody></table>`;
}

/** The reports' stylesheet (the sweep report shares it). */
export const REPORT_STYLE = `
body{font-family:Helvetica,Arial,sans-serif;margin:0;background:#f6f7f9;color:#1d2733}
header{background:#1d2733;color:#fff;padding:20px 32px}
header h1{margin:0 0 6px;font-size:22px}
header p{margin:2px 0;color:#c9d1db;font-size:13px}
main{max-width:980px;margin:0 auto;padding:16px 24px 48px}
section{background:#fff;border-radius:8px;box-shadow:0 1px 3px rgba(0,0,0,.08);padding:16px 20px;margin:16px 0}
h2{font-size:16px;margin:0 0 4px}
.caption{color:#5b6776;font-size:12px;margin:0 0 8px}
table{border-collapse:collapse;font-size:12px}
.metrics td,.metrics th{padding:4px 12px;border-bottom:1px solid #eceff3;text-align:left}
.metrics td{text-align:right;font-variant-numeric:tabular-nums}
.metrics{columns:2}
.monthly th,.monthly td{padding:3px 6px;text-align:right;border:1px solid #fff;font-variant-numeric:tabular-nums}
.monthly .year{font-weight:bold}
.badge{display:inline-block;padding:2px 8px;border-radius:10px;background:#2e86de;color:#fff;font-size:12px}
.chart svg{max-width:100%;height:auto}
p.no-data{color:#8a6d3b;background:#fcf8e3;padding:8px 12px;border-radius:4px}
pre{font-size:11px;background:#f6f7f9;padding:8px;overflow:auto}
`;

/** Alerts shown in the report at most (the first ones; the count says how many there were). */
const MAX_ALERT_ROWS = 200;

/** WARNING and CRITICAL alerts as a table; INFO alerts (one per cycle) only counted. */
function alertsSection(all: BacktestResult['alerts']): string {
  const shown = all.filter((a) => a.level !== 'INFO');
  const info = all.length - shown.length;
  if (all.length === 0) return '';
  const rows = shown
    .slice(0, MAX_ALERT_ROWS)
    .map(
      (a) =>
        `<tr><th>${escapeHtml(a.timestamp)}</th><td>${escapeHtml(a.level)}</td><td>${escapeHtml(a.message)}</td></tr>`,
    )
    .join('');
  const more =
    shown.length > MAX_ALERT_ROWS
      ? `<p class="caption">First ${MAX_ALERT_ROWS} of ${shown.length} shown.</p>`
      : '';
  return `<section id="alerts"><h2>Alerts (${shown.length} warning or critical, ${info} info)</h2>${rows ? `<table class="metrics">${rows}</table>` : ''}${more}</section>`;
}

/**
 * Builds the self-contained HTML report: every chart is rendered to inline SVG here, so the
 * file opens offline and needs no scripts.
 */
export async function buildHtmlReport(
  result: BacktestResult,
  metrics: readonly MetricLine[],
): Promise<string> {
  const charts = reportCharts(result);
  const svgs = await Promise.all(
    charts.map((c) => (c.hasData ? renderChartSvg(c.spec) : Promise.resolve(''))),
  );
  const sections = charts.map((c, i) => {
    const body = c.hasData
      ? (svgs[i] ?? '')
      : '<p class="no-data">No values in this period (the signals had too little history for this measure).</p>';
    return `<section class="chart" id="chart-${c.id}"><h2>${escapeHtml(c.title)}</h2><p class="caption">${escapeHtml(c.caption)}</p>${body}</section>`;
  });
  const metricsRows = metrics
    .map((m) => `<tr><th>${escapeHtml(m.label)}</th><td>${escapeHtml(m.text)}</td></tr>`)
    .join('');
  const years = monthlyReturns(result.equity, result.initialCapitalUsd);
  const mode =
    result.compositeMode === 'hybrid'
      ? 'Hybrid composite: 70 % daily + 30 % hourly, with confidence'
      : 'Daily composite only';
  const alerts = alertsSection(result.alerts);
  const warnings = dataWarningsSection(result.dataWarnings);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Backtest ${escapeHtml(result.runId)}</title><style>${REPORT_STYLE}</style></head>
<body><header><h1>Backtest ${escapeHtml(result.runId)}</h1>
<p>${escapeHtml(result.sourceLabel)} · ${escapeHtml(result.startDate)} → ${escapeHtml(result.endDate)} · ${result.symbols.length} symbols · ${escapeHtml(result.rebalance)} rebalance · ${result.benchmarkNote ? escapeHtml(result.benchmarkNote) : `benchmark ${escapeHtml(result.benchmarkSymbol)}`}</p>
<p><span class="badge" id="composite-mode">${escapeHtml(mode)}</span> ${escapeHtml(result.compositeReason)}</p></header>
<main>
<section id="metrics"><h2>Metrics</h2><table class="metrics">${metricsRows}</table></section>
${sections.join('\n')}
<section id="monthly"><h2>Monthly returns</h2>${monthlyTable(years)}</section>
${warnings}
${alerts}
<section id="config"><h2>Configuration</h2><pre>${escapeHtml(JSON.stringify(result.config, null, 2))}</pre>
<p class="caption">Symbols: ${escapeHtml(result.symbols.join(', '))}</p></section>
</main></body></html>
`;
}
