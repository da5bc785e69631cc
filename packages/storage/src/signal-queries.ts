import { ValidationError } from '@quantpipe/core';
import { toStorageError } from './db-errors';
import type { SignalQuery, SignalRecord } from './records';
import type { StorageContext } from './storage-context';
import { onSqliteConnection, writeTransaction } from './write-transaction';
import { assertBarTime, assertSymbol, atPath } from './validate';

/** Signal rows per INSERT statement in {@link TradingDatabase.upsertSignals}. */
const SIGNAL_ROWS_PER_STATEMENT = 500;

const SIGNAL_FIELDS = ['composite', 'volatility', 'momentum', 'tailRisk', 'beta', 'carry'] as const;

/** Throws a ValidationError naming `record.<field>` unless the record can be stored. */
function validateSignalRecord(r: SignalRecord): void {
  assertBarTime('record.timestamp', r.timestamp);
  assertSymbol('record.symbol', r.symbol);
  for (const field of SIGNAL_FIELDS) {
    const value = r[field];
    if (value !== null && (typeof value !== 'number' || !Number.isFinite(value))) {
      throw new ValidationError(
        `record.${field}`,
        `expected a finite number or null, got ${String(value)}`,
      );
    }
  }
}

/** Whether every record's (timestamp, symbol) is after the one before it. */
function inStrictKeyOrder(records: readonly SignalRecord[]): boolean {
  for (let i = 1; i < records.length; i++) {
    const a = records[i - 1] as SignalRecord;
    const b = records[i] as SignalRecord;
    if (a.timestamp > b.timestamp || (a.timestamp === b.timestamp && a.symbol >= b.symbol))
      return false;
  }
  return true;
}

/** The last record of each (timestamp, symbol), in the order the keys first appear. */
function lastOfEachKey(records: readonly SignalRecord[]): SignalRecord[] {
  const latest = new Map<string, SignalRecord>();
  for (const r of records) latest.set(`${r.timestamp}\u0000${r.symbol}`, r);
  return [...latest.values()];
}

/** `TradingDatabase.upsertSignals` (documented there). */
export async function upsertSignals(
  ctx: StorageContext,
  records: readonly SignalRecord[],
): Promise<number> {
  if (!Array.isArray(records)) throw new ValidationError('records', 'expected an array');
  // Each row is checked under a fixed name; its index goes into the error only if it fails.
  for (let i = 0; i < records.length; i++) {
    try {
      validateSignalRecord(records[i] as SignalRecord);
    } catch (error) {
      throw atPath(error, 'record', `records[${i}]`);
    }
  }
  if (records.length === 0) return 0;
  // Last record wins for a repeated (timestamp, symbol), as one upsert after another would;
  // PostgreSQL also refuses to touch the same row twice in one statement. Rows in key order
  // (a run's cycles, symbols sorted) cannot repeat and are written as they are.
  const unique = inStrictKeyOrder(records) ? records : lastOfEachKey(records);
  if (ctx.sqlite !== undefined) {
    const sqlite = ctx.sqlite;
    try {
      await onSqliteConnection(ctx, () => {
        ctx.statements.signalUpsert ??= sqlite.prepare(
          `insert into signals (timestamp, symbol, composite_signal, volatility_signal,
             momentum_signal, tail_risk_signal, beta_signal, carry_signal)
           values (?, ?, ?, ?, ?, ?, ?, ?)
           on conflict (timestamp, symbol) do update set
             composite_signal = excluded.composite_signal,
             volatility_signal = excluded.volatility_signal,
             momentum_signal = excluded.momentum_signal,
             tail_risk_signal = excluded.tail_risk_signal,
             beta_signal = excluded.beta_signal,
             carry_signal = excluded.carry_signal`,
        );
        const statement = ctx.statements.signalUpsert;
        sqlite.transaction(() => {
          for (const r of unique) {
            statement.run(
              r.timestamp,
              r.symbol,
              r.composite,
              r.volatility,
              r.momentum,
              r.tailRisk,
              r.beta,
              r.carry,
            );
          }
        })();
      });
    } catch (error) {
      throw toStorageError('upsertSignals', error);
    }
    return records.length;
  }
  const rows = unique.map((r) => ({
    timestamp: r.timestamp,
    symbol: r.symbol,
    composite_signal: r.composite,
    volatility_signal: r.volatility,
    momentum_signal: r.momentum,
    tail_risk_signal: r.tailRisk,
    beta_signal: r.beta,
    carry_signal: r.carry,
  }));
  await writeTransaction(ctx, 'upsertSignals', async (trx) => {
    // Multi-row statements (8 parameters a row, well under both engines' limits).
    for (let start = 0; start < rows.length; start += SIGNAL_ROWS_PER_STATEMENT) {
      await trx
        .insertInto('signals')
        .values(rows.slice(start, start + SIGNAL_ROWS_PER_STATEMENT))
        .onConflict((oc) =>
          oc.columns(['timestamp', 'symbol']).doUpdateSet((eb) => ({
            composite_signal: eb.ref('excluded.composite_signal'),
            volatility_signal: eb.ref('excluded.volatility_signal'),
            momentum_signal: eb.ref('excluded.momentum_signal'),
            tail_risk_signal: eb.ref('excluded.tail_risk_signal'),
            beta_signal: eb.ref('excluded.beta_signal'),
            carry_signal: eb.ref('excluded.carry_signal'),
          })),
        )
        .execute();
    }
  });
  return records.length;
}

/** `TradingDatabase.getSignals` (documented there). */
export async function getSignals(
  ctx: StorageContext,
  query: SignalQuery = {},
): Promise<SignalRecord[]> {
  if (query.symbol !== undefined) assertSymbol('query.symbol', query.symbol);
  if (query.start !== undefined) assertBarTime('query.start', query.start);
  if (query.end !== undefined) assertBarTime('query.end', query.end);
  try {
    let select = ctx.kysely.selectFrom('signals').selectAll();
    if (query.symbol !== undefined) select = select.where('symbol', '=', query.symbol);
    if (query.start !== undefined) select = select.where('timestamp', '>=', query.start);
    if (query.end !== undefined) select = select.where('timestamp', '<=', query.end);
    const rows = await select.orderBy('timestamp').orderBy('symbol').execute();
    return rows.map((row) => ({
      timestamp: row.timestamp,
      symbol: row.symbol,
      composite: row.composite_signal,
      volatility: row.volatility_signal,
      momentum: row.momentum_signal,
      tailRisk: row.tail_risk_signal,
      beta: row.beta_signal,
      carry: row.carry_signal,
    }));
  } catch (error) {
    throw toStorageError('getSignals', error);
  }
}
