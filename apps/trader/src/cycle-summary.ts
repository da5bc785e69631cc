import type { CycleReport } from '@quantpipe/execution';

/** The risk limits a summary compares against (from the config). */
export interface SummaryLimits {
  /** Negative fraction, e.g. -0.05. */
  readonly maxDailyLoss: number;
  /** Negative fraction, e.g. -0.15. */
  readonly maxDrawdown: number;
  readonly minLeverage: number;
  readonly maxLeverage: number;
}

/** What a summary needs besides the report. */
export interface SummaryContext {
  readonly limits: SummaryLimits;
  /** Equity at the start of the run, for the total P&L. */
  readonly startEquityUsd?: number;
  /** Why planned orders were not sent, by client order id (the journal's `skipped` updates). */
  readonly skippedReasons?: ReadonlyMap<string, string>;
  readonly killSwitch: { readonly tripped: boolean; readonly reason?: string | null };
}

/** The structured form of a cycle summary (logged as fields, shown by the dashboard). */
export interface CycleSummaryFields {
  readonly cycle: number;
  readonly status: string;
  readonly reason: string | null;
  readonly targets: number;
  readonly holdings: number;
  readonly ordersPlanned: number;
  readonly ordersSent: number;
  readonly ordersFilled: number;
  readonly ordersSkipped: number;
  /** Reason → number of orders skipped for it. */
  readonly skippedReasons: Readonly<Record<string, number>>;
  readonly dailyPnlUsd: number | null;
  readonly totalPnlUsd: number | null;
  readonly equityUsd: number;
  readonly drawdown: number | null;
  readonly maxDrawdown: number;
  readonly dailyPnlPct: number | null;
  readonly maxDailyLoss: number;
  readonly leverage: number;
  readonly minLeverage: number;
  readonly maxLeverage: number;
  readonly killSwitch: boolean;
  readonly hedge: string;
}

/** One line for people, the same as fields, and the per-symbol lines `debug` adds. */
export interface CycleSummary {
  readonly line: string;
  readonly fields: CycleSummaryFields;
  readonly details: readonly string[];
}

const usd = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

function money(x: number | null): string {
  if (x === null || !Number.isFinite(x)) return 'n/a';
  const sign = x > 0 ? '+' : x < 0 ? '-' : '';
  return `${sign}$${usd.format(Math.abs(x))}`;
}

function pct(x: number | null, digits = 1): string {
  if (x === null || !Number.isFinite(x)) return 'n/a';
  const text = (x * 100).toFixed(digits);
  // -0.0% reads as a loss that is not there.
  return `${Number(text) === 0 ? (0).toFixed(digits) : text}%`;
}

/** Builds the per-cycle summary: targets vs holdings, orders, P&L, risk against limits. */
export function summariseCycle(report: CycleReport, ctx: SummaryContext): CycleSummary {
  const targets = report.decisions.filter((d) => d.targetShares !== 0).length;
  const holdings = report.decisions.filter((d) => d.currentShares !== 0).length;
  const sentIds = new Set(report.orders.map((o) => o.clientOrderId));
  const filled = report.orders.filter((o) => o.status === 'filled').length;
  const skippedReasons: Record<string, number> = {};
  const reasonOf = new Map(report.skippedOrders.map((s) => [s.clientOrderId, s.reason]));
  let skipped = 0;
  for (const planned of report.plannedOrders) {
    if (sentIds.has(planned.clientOrderId)) continue;
    skipped += 1;
    // A dry run names the legs the real run would skip, with the real run's reason.
    const reason =
      reasonOf.get(planned.clientOrderId) ??
      (report.status === 'dry_run'
        ? 'dry run'
        : (ctx.skippedReasons?.get(planned.clientOrderId) ?? 'not sent'));
    skippedReasons[reason] = (skippedReasons[reason] ?? 0) + 1;
  }
  // Trades the no-trade band kept from going: never planned as orders, reported as skipped.
  const plannedIds = new Set(report.plannedOrders.map((p) => p.clientOrderId));
  for (const s of report.skippedOrders) {
    if (plannedIds.has(s.clientOrderId)) continue;
    skipped += 1;
    skippedReasons[s.reason] = (skippedReasons[s.reason] ?? 0) + 1;
  }
  const metrics = report.riskVerdict?.metrics;
  const dailyPnlUsd = metrics ? metrics.dailyPnlUsd : null;
  const totalPnlUsd =
    ctx.startEquityUsd !== undefined ? report.equityAfterUsd - ctx.startEquityUsd : null;
  const drawdown = metrics ? metrics.drawdown : null;
  const dailyPnlPct = metrics ? metrics.dailyPnlPct : null;
  const hedge = report.hedge
    ? `${report.hedge.state}${report.hedge.transition ? ` (${report.hedge.transition})` : ''}`
    : 'n/a';
  const fields: CycleSummaryFields = {
    cycle: report.cycle,
    status: report.status,
    reason: report.reason ?? null,
    targets,
    holdings,
    ordersPlanned: report.plannedOrders.length,
    ordersSent: report.orders.length,
    ordersFilled: filled,
    ordersSkipped: skipped,
    skippedReasons,
    dailyPnlUsd,
    totalPnlUsd,
    equityUsd: report.equityAfterUsd,
    drawdown,
    maxDrawdown: ctx.limits.maxDrawdown,
    dailyPnlPct,
    maxDailyLoss: ctx.limits.maxDailyLoss,
    leverage: report.leverageAfter,
    minLeverage: ctx.limits.minLeverage,
    maxLeverage: ctx.limits.maxLeverage,
    killSwitch: ctx.killSwitch.tripped,
    hedge,
  };
  const skippedText =
    skipped === 0
      ? 'skipped 0'
      : `skipped ${skipped} (${Object.entries(skippedReasons)
          .map(([r, n]) => `${n} ${r}`)
          .join('; ')})`;
  const line = [
    `cycle ${report.cycle} ${report.status}${report.reason ? ` (${report.reason})` : ''}`,
    `targets ${targets} / holdings ${holdings}`,
    `orders sent ${report.orders.length}, filled ${filled}, ${skippedText}`,
    `P&L day ${money(dailyPnlUsd)} (${pct(dailyPnlPct, 2)}, limit ${pct(ctx.limits.maxDailyLoss)}), total ${money(totalPnlUsd)}`,
    `equity ${money(report.equityAfterUsd).replace('+', '')}`,
    `drawdown ${pct(drawdown)} (limit ${pct(ctx.limits.maxDrawdown)})`,
    `leverage ${report.leverageAfter.toFixed(2)}x (${ctx.limits.minLeverage.toFixed(1)}-${ctx.limits.maxLeverage.toFixed(1)}x)`,
    `kill switch ${ctx.killSwitch.tripped ? `TRIPPED${ctx.killSwitch.reason ? ` (${ctx.killSwitch.reason})` : ''}` : 'off'}`,
    `hedge ${hedge}`,
  ].join(' | ');
  const details = report.decisions.map((d) => {
    const delta = d.targetShares - d.currentShares;
    const order = report.orders.find((o) => o.symbol === d.symbol);
    return [
      `  ${d.symbol.padEnd(6)}`,
      `target ${String(d.targetShares).padStart(7)}`,
      `holding ${String(d.currentShares).padStart(7)}`,
      `delta ${(delta > 0 ? `+${delta}` : String(delta)).padStart(7)}`,
      `price ${d.priceUsd.toFixed(2).padStart(9)}`,
      `composite ${d.composite.toFixed(3).padStart(7)}`,
      order ? `order ${order.side} ${order.quantity} ${order.status}` : 'no order',
    ].join('  ');
  });
  return { line, fields, details };
}
