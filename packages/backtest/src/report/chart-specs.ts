import type { BacktestResult, EquityPoint, SignalStateRecord } from '../result/backtest-result';
import type { ChartSpec } from './render-svg';
import { HOURLY_BUCKET, runPnlAttribution, type AttributionPoint } from '../output/pnl-attribution';

/** Charts are drawn with at most this many points per series (keeps the file small). */
const MAX_POINTS = 700;
const WIDTH = 860;
const HEIGHT = 220;

/** A chart of the report: id, title, caption and its Vega-Lite spec. */
export interface ReportChart {
  readonly id: string;
  readonly title: string;
  readonly caption: string;
  readonly spec: ChartSpec;
  /** Whether the chart has any finite point to draw (an empty chart is not rendered). */
  readonly hasData: boolean;
}

/** Keeps the last element of each session date (hourly runs mark several times a day). */
export function lastPerDate<T extends { readonly timestamp: string }>(rows: readonly T[]): T[] {
  const out: T[] = [];
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] as T;
    const next = rows[i + 1];
    if (!next || next.timestamp.slice(0, 10) !== row.timestamp.slice(0, 10)) out.push(row);
  }
  return out;
}

/** Evenly thins `rows` to at most `max` elements, always keeping the last. */
export function thin<T>(rows: readonly T[], max = MAX_POINTS): T[] {
  if (rows.length <= max) return [...rows];
  const step = rows.length / max;
  const out: T[] = [];
  for (let i = 0; i < max - 1; i++) out.push(rows[Math.floor(i * step)] as T);
  out.push(rows[rows.length - 1] as T);
  return out;
}

const baseConfig = {
  font: 'Helvetica, Arial, sans-serif',
  axis: { labelFontSize: 11, titleFontSize: 12, grid: true, gridColor: '#eceff3' },
  legend: { orient: 'top', labelFontSize: 11, title: null },
  view: { stroke: null },
} as const;

/** The run's date range as epoch ms, so every chart shares one time axis. */
type XDomain = readonly [number, number];

function xEncoding(domain: XDomain): {
  field: 'date';
  type: 'temporal';
  title: null;
  scale: { domain: number[] };
} {
  return { field: 'date', type: 'temporal', title: null, scale: { domain: [...domain] } };
}

function lineSpec(
  values: readonly Record<string, string | number>[],
  y: { field: string; title: string; format: string },
  colorField: string | undefined,
  domain: XDomain,
): ChartSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    width: WIDTH,
    height: HEIGHT,
    config: baseConfig,
    data: { values: values as Record<string, string | number>[] },
    mark: { type: 'line', strokeWidth: 1.4, interpolate: 'linear' },
    encoding: {
      x: xEncoding(domain),
      y: {
        field: y.field,
        type: 'quantitative',
        title: y.title,
        axis: { format: y.format },
        scale: { zero: false },
      },
      ...(colorField ? { color: { field: colorField, type: 'nominal' } } : {}),
    },
  } as ChartSpec;
}

function equityRows(result: BacktestResult, points: readonly EquityPoint[]) {
  const first = points[0];
  const base = first ? first.benchmarkClose : null;
  const benchmarkLabel = `Benchmark (${result.benchmarkSymbol})`;
  return points.flatMap((p) => [
    { date: p.date, series: 'Strategy', value: p.equityUsd },
    ...(p.benchmarkClose === null || base === null
      ? []
      : [
          {
            date: p.date,
            series: benchmarkLabel,
            value: (result.initialCapitalUsd * p.benchmarkClose) / base,
          },
        ]),
  ]);
}

/** Running drawdown of an equity curve (0 at a new peak, negative below it). */
export function drawdowns(equityUsd: readonly number[]): number[] {
  let peak = -Infinity;
  return equityUsd.map((e) => {
    peak = Math.max(peak, e);
    return e / peak - 1;
  });
}

function perSignalRows(
  states: readonly SignalStateRecord[],
  pick: (s: SignalStateRecord) => Readonly<Record<string, number>>,
  field: string,
) {
  const rows: Record<string, string | number>[] = [];
  for (const s of states) {
    for (const [signal, value] of Object.entries(pick(s))) {
      if (Number.isFinite(value))
        rows.push({ date: s.timestamp.slice(0, 10), signal, [field]: value });
    }
  }
  return rows;
}

/** Cumulative attributed P&L rows, one per signal and date (the hourly bucket when non-zero). */
function attributionRows(series: readonly AttributionPoint[]) {
  const hourlyUsed = series.some((p) => (p.cumulativePnlUsd[HOURLY_BUCKET] ?? 0) !== 0);
  const rows: Record<string, string | number>[] = [];
  for (const p of series)
    for (const [signal, pnl] of Object.entries(p.cumulativePnlUsd))
      if ((signal !== HOURLY_BUCKET || hourlyUsed) && Number.isFinite(pnl))
        rows.push({ date: p.date, signal, pnl });
  return rows;
}

/** The report's charts, built from a result. */
export function reportCharts(result: BacktestResult): ReportChart[] {
  const daily = thin(lastPerDate(result.equity));
  const dd = drawdowns(daily.map((p) => p.equityUsd));
  const states = thin(lastPerDate(result.signalStates));
  const domain: XDomain = [
    Date.parse(daily[0]?.date ?? result.startDate),
    Date.parse(daily[daily.length - 1]?.date ?? result.endDate),
  ];
  const charts: Omit<ReportChart, 'hasData'>[] = [
    {
      id: 'equity',
      title: 'Equity vs benchmark',
      caption: result.benchmarkNote
        ? `Strategy equity (USD). No benchmark line: ${result.benchmarkNote}.`
        : `Strategy equity and the ${result.benchmarkSymbol} benchmark scaled to the same starting capital (USD).`,
      spec: lineSpec(
        equityRows(result, daily),
        { field: 'value', title: 'USD', format: '~s' },
        'series',
        domain,
      ),
    },
    {
      id: 'drawdown',
      title: 'Drawdown',
      caption: 'Equity relative to its running peak.',
      spec: {
        ...lineSpec(
          daily.map((p, i) => ({ date: p.date, drawdown: dd[i] ?? 0 })),
          { field: 'drawdown', title: 'drawdown', format: '.1%' },
          undefined,
          domain,
        ),
        mark: {
          type: 'area',
          color: '#c0392b',
          opacity: 0.55,
          line: { color: '#962d22', strokeWidth: 1 },
        },
      } as ChartSpec,
    },
    {
      id: 'exposure',
      title: 'Exposure and leverage',
      caption: 'Gross exposure (= leverage) and net exposure, as multiples of equity.',
      spec: lineSpec(
        daily.flatMap((p) => [
          { date: p.date, series: 'Gross (leverage)', value: p.leverage },
          {
            date: p.date,
            series: 'Net',
            value: p.equityUsd > 0 ? p.netExposureUsd / p.equityUsd : 0,
          },
        ]),
        { field: 'value', title: '× equity', format: '.2f' },
        'series',
        domain,
      ),
    },
    {
      id: 'ic',
      title: 'Rolling IC per signal',
      caption:
        'Information coefficient of each signal on its trailing validation window, as used at each rebalance.',
      spec: lineSpec(
        perSignalRows(states, (s) => s.ic, 'ic'),
        { field: 'ic', title: 'IC', format: '.2f' },
        'signal',
        domain,
      ),
    },
    {
      id: 'health',
      title: 'Signal health',
      caption: 'Health score of each signal (0..1) at each rebalance.',
      spec: lineSpec(
        perSignalRows(states, (s) => s.health, 'health'),
        { field: 'health', title: 'health', format: '.2f' },
        'signal',
        domain,
      ),
    },
    {
      id: 'weights',
      title: 'Signal weights',
      caption: 'Correlation-aware signal weights after risk budgets, re-estimated walk-forward.',
      spec: {
        ...lineSpec(
          perSignalRows(states, (s) => s.weights, 'weight'),
          { field: 'weight', title: 'weight', format: '.0%' },
          'signal',
          domain,
        ),
        mark: { type: 'area', opacity: 0.85 },
        encoding: {
          x: xEncoding(domain),
          y: {
            field: 'weight',
            type: 'quantitative',
            stack: 'zero',
            title: 'weight',
            axis: { format: '.0%' },
          },
          color: { field: 'signal', type: 'nominal' },
        },
      } as ChartSpec,
    },
    {
      id: 'attribution',
      title: 'P&L attribution per signal',
      caption:
        'Cumulative holding P&L (USD) attributed to each signal by its share of the composite that set the position (metrics.json: pnlAttribution).',
      spec: lineSpec(
        attributionRows(thin(runPnlAttribution(result)?.series ?? [])),
        { field: 'pnl', title: 'USD', format: '~s' },
        'signal',
        domain,
      ),
    },
  ];
  return charts.map((c) => ({ ...c, hasData: chartValues(c.spec).length > 0 }));
}

/** The inline data rows of a spec. */
function chartValues(spec: ChartSpec): readonly unknown[] {
  const data = (spec as { data?: { values?: unknown } }).data;
  return Array.isArray(data?.values) ? data.values : [];
}
