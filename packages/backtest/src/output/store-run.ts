import type { JsonValue, Order } from '@quantpipe/core';
import { fillFromOrder } from '@quantpipe/execution';
import type { OrderWithFills, SignalRecord, TradingDatabase } from '@quantpipe/storage';
import type { BacktestResult } from '../result/backtest-result';
import type { DecisionColumns } from '../result/decision-columns';
import type { DecisionRecords } from '../result/decision-records';
import { TableDecisionLog } from '../result/table-decision-log';
import type { BacktestOrderLog } from '../runner/run-backtest';
import type { BacktestMetrics } from './performance';

/** Rows built and written at a time by {@link storeRun}. */
const ROWS_PER_WRITE = 4096;

function toJson(value: unknown): JsonValue {
  return JSON.parse(
    JSON.stringify(value, (_k, v: unknown) =>
      typeof v === 'number' && !Number.isFinite(v) ? null : v,
    ),
  ) as JsonValue;
}

type SignalColumn = keyof Omit<SignalRecord, 'timestamp' | 'symbol' | 'composite'>;

const SIGNAL_COLUMNS: ReadonlyMap<string, SignalColumn> = new Map([
  ['volatility', 'volatility'],
  ['momentum', 'momentum'],
  ['tailrisk', 'tailRisk'],
  ['tail_risk', 'tailRisk'],
  ['beta', 'beta'],
  ['carry', 'carry'],
]);

/** The stored column of a signal name (`TailRisk`, `tail_risk` and `tailrisk` name one). */
function signalColumn(name: string): SignalColumn | undefined {
  return SIGNAL_COLUMNS.get(name) ?? SIGNAL_COLUMNS.get(name.toLowerCase());
}

/**
 * The stored signals of one decision row: `signals.signal(k)` is the value of the signal whose
 * stored column is `columns[k]` (undefined: a signal the table has no column for).
 */
function signalRecord(
  timestamp: string,
  symbol: string,
  composite: number,
  columns: readonly (SignalColumn | undefined)[],
  signals: Pick<DecisionColumns, 'signal'>,
): SignalRecord {
  const record: { -readonly [K in SignalColumn]: number | null } = {
    volatility: null,
    momentum: null,
    tailRisk: null,
    beta: null,
    carry: null,
  };
  for (let k = 0; k < columns.length; k++) {
    const column = columns[k];
    const value = signals.signal(k);
    if (column !== undefined && Number.isFinite(value)) record[column] = value;
  }
  return {
    timestamp,
    symbol,
    composite: Number.isFinite(composite) ? composite : null,
    ...record,
  };
}

/** The signal rows of a run's decisions, in order. */
function* signalRecords(decisions: DecisionRecords): Generator<SignalRecord> {
  // A table log's rows are read by column (no record and signal maps per row)
  if (decisions instanceof TableDecisionLog) {
    const table = decisions.columns(decisions.signalNames);
    if (table !== undefined) {
      const columns = decisions.signalNames.map(signalColumn);
      for (let row = 0; row < table.length; row++) {
        table.select(row);
        yield signalRecord(table.timestamp(), table.symbol(), table.composite(), columns, table);
      }
      return;
    }
  }
  for (const d of decisions) {
    const names = Object.keys(d.signals);
    yield signalRecord(d.timestamp, d.symbol, d.composite, names.map(signalColumn), {
      signal: (k) => d.signals[names[k] as string] as number,
    });
  }
}

/** A simulated order's id as stored: the venue's id within the run's (`<runId>/sim-<n>`). */
export function storedVenueOrderId(runId: string, venueOrderId: string): string {
  return `${runId}/${venueOrderId}`;
}

/**
 * Stores a finished run in the trading database so runs can be compared: the run (with its
 * configuration and headline metrics), a portfolio snapshot per mark, every order with its
 * fills, each cycle's signals per symbol, and the warning and critical alerts. All of it is
 * written in one transaction: it appears whole, with status `stopped`, or not at all.
 */
export async function storeRun(
  db: TradingDatabase,
  result: BacktestResult,
  metrics: BacktestMetrics,
  orderLog: BacktestOrderLog,
  startedAtIso: string,
): Promise<void> {
  // One transaction: a run that fails or is killed part-way leaves nothing behind (no run
  // stuck `running`, no orphan orders), so its id can simply be used again.
  await db.transaction(async (tx) => {
    await tx.createRun({
      runId: result.runId,
      startedAt: startedAtIso,
      mode: 'backtest',
      config: toJson({
        config: result.config,
        summary: {
          startDate: metrics.startDate,
          endDate: metrics.endDate,
          finalEquityUsd: metrics.finalEquityUsd,
          totalReturn: metrics.performance.totalReturn,
          sharpeRatio: metrics.performance.sharpeRatio,
          maxDrawdown: metrics.performance.maxDrawdown,
          compositeMode: metrics.compositeMode,
        },
      }),
    });
    await storeRunRows(tx, result, orderLog);
    await tx.finishRun(result.runId, { stoppedAt: new Date().toISOString(), status: 'stopped' });
  });
}

async function storeRunRows(
  db: TradingDatabase,
  result: BacktestResult,
  orderLog: BacktestOrderLog,
): Promise<void> {
  let previous = result.initialCapitalUsd;
  await db.savePortfolioSnapshots(
    result.equity.map((p) => {
      const dailyPnlUsd = p.equityUsd - previous;
      previous = p.equityUsd;
      return {
        runId: result.runId,
        timestamp: p.timestamp,
        cashUsd: p.cashUsd,
        portfolioValueUsd: p.equityUsd,
        equityUsd: p.equityUsd,
        buyingPowerUsd: Math.max(0, p.equityUsd - p.grossExposureUsd),
        dailyPnlUsd,
        totalPnlUsd: p.equityUsd - result.initialCapitalUsd,
      };
    }),
  );
  // Bulk writes in chunks of rows, all in the caller's transaction: row-by-row inserts cost
  // ~0.5 ms an order on SQLite, while a whole run's rows built at once would all outlive the
  // young collections (copied, then promoted) before the first is written.
  // The simulated venue numbers its orders `sim-1`, `sim-2`, ... in every run, while order and
  // fill ids are database-wide keys: stored under the run's id, a second run fits beside it.
  const venueOrders = orderLog.orders;
  for (let first = 0; first < venueOrders.length; first += ROWS_PER_WRITE) {
    const last = Math.min(venueOrders.length, first + ROWS_PER_WRITE);
    const orders: OrderWithFills[] = new Array<OrderWithFills>(last - first);
    for (let i = first; i < last; i++) {
      const venueOrder = venueOrders[i] as Order;
      const order = {
        ...venueOrder,
        id: storedVenueOrderId(result.runId, venueOrder.id),
        runId: result.runId,
      };
      orders[i - first] = { order, fills: order.filledQuantity > 0 ? [fillFromOrder(order)] : [] };
    }
    await db.importOrders(orders);
  }
  let signals: SignalRecord[] = [];
  for (const record of signalRecords(result.decisions)) {
    signals.push(record);
    if (signals.length === ROWS_PER_WRITE) {
      await db.upsertSignals(signals);
      signals = [];
    }
  }
  if (signals.length > 0) await db.upsertSignals(signals);
  // INFO alerts (one per cycle) stay in metrics.json's count; warnings and critical ones are kept.
  for (const a of result.alerts) {
    if (a.level !== 'CRITICAL' && a.level !== 'WARNING') continue;
    await db.insertAlert(
      {
        level: a.level,
        title: 'backtest',
        message: a.message,
        timestamp: a.timestamp,
      },
      { runId: result.runId },
    );
  }
}
