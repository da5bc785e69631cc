import { ValidationError, type Bar, type BarsRequest, type Timeframe } from '@quantpipe/core';
import { PG_BAR_CHUNK_ROWS, unknownSymbol, upsertBarChunkPg, validateBar } from './bar-rows';
import { toStorageError } from './db-errors';
import type { StorageContext } from './storage-context';
import { onSqliteConnection, writeTransaction } from './write-transaction';
import { TIMEFRAMES, assertOneOf, assertSymbol, normaliseBound } from './validate';

/** `TradingDatabase.upsertBars` (documented there). */
export async function upsertBars(
  ctx: StorageContext,
  timeframe: Timeframe,
  bars: readonly Bar[],
): Promise<number> {
  assertOneOf('timeframe', timeframe, TIMEFRAMES);
  if (!Array.isArray(bars)) throw new ValidationError('bars', 'expected an array of bars');
  for (let i = 0; i < bars.length; i++) validateBar(bars[i] as Bar, i, timeframe);
  if (bars.length === 0) return 0;
  try {
    if (ctx.sqlite !== undefined) {
      const sqlite = ctx.sqlite;
      await onSqliteConnection(ctx, () => {
        ctx.statements.barUpsert ??= sqlite.prepare(
          `insert into market_data (symbol, timeframe, timestamp, open, high, low, close, volume)
           values (?, ?, ?, ?, ?, ?, ?, ?)
           on conflict (symbol, timeframe, timestamp) do update set
             open = excluded.open, high = excluded.high, low = excluded.low,
             close = excluded.close, volume = excluded.volume`,
        );
        const statement = ctx.statements.barUpsert;
        sqlite.transaction(() => {
          for (const bar of bars) {
            statement.run(
              bar.symbol,
              timeframe,
              bar.timestamp,
              bar.open,
              bar.high,
              bar.low,
              bar.close,
              bar.volume,
            );
          }
        })();
      });
    } else {
      await writeTransaction(ctx, 'upsertBars', async (trx) => {
        for (let from = 0; from < bars.length; from += PG_BAR_CHUNK_ROWS) {
          await upsertBarChunkPg(trx, timeframe, bars.slice(from, from + PG_BAR_CHUNK_ROWS));
        }
      });
    }
  } catch (error) {
    throw toStorageError('upsertBars', error);
  }
  return bars.length;
}

/** `TradingDatabase.getBars` (documented there). */
export async function getBars(ctx: StorageContext, request: BarsRequest): Promise<Bar[]> {
  assertSymbol('request.symbol', request.symbol);
  assertOneOf('request.timeframe', request.timeframe, TIMEFRAMES);
  const start = normaliseBound('request.start', request.start, request.timeframe, 'start');
  const end =
    request.end === undefined
      ? undefined
      : normaliseBound('request.end', request.end, request.timeframe, 'end');
  let rows: Bar[];
  try {
    let select = ctx.kysely
      .selectFrom('market_data')
      .select(['symbol', 'timestamp', 'open', 'high', 'low', 'close', 'volume'])
      .where('symbol', '=', request.symbol)
      .where('timeframe', '=', request.timeframe)
      .where('timestamp', '>=', start);
    if (end !== undefined) select = select.where('timestamp', '<=', end);
    rows = await select.orderBy('timestamp').execute();
  } catch (error) {
    throw toStorageError('getBars', error);
  }
  if (rows.length === 0) await assertSymbolKnown(ctx, request.symbol, request.timeframe);
  return rows;
}

/** `TradingDatabase.getLatestBar` (documented there). */
export async function getLatestBar(
  ctx: StorageContext,
  symbol: string,
  timeframe: Timeframe = '1Day',
): Promise<Bar> {
  assertSymbol('symbol', symbol);
  assertOneOf('timeframe', timeframe, TIMEFRAMES);
  let row: Bar | undefined;
  try {
    row = await ctx.kysely
      .selectFrom('market_data')
      .select(['symbol', 'timestamp', 'open', 'high', 'low', 'close', 'volume'])
      .where('symbol', '=', symbol)
      .where('timeframe', '=', timeframe)
      .orderBy('timestamp', 'desc')
      .limit(1)
      .executeTakeFirst();
  } catch (error) {
    throw toStorageError('getLatestBar', error);
  }
  if (row === undefined) throw unknownSymbol(symbol, timeframe);
  return row;
}

/** `TradingDatabase.getCoverage` (documented there). */
export async function getCoverage(
  ctx: StorageContext,
  symbol: string,
  timeframe: Timeframe,
): Promise<{ first: string; last: string } | undefined> {
  assertSymbol('symbol', symbol);
  assertOneOf('timeframe', timeframe, TIMEFRAMES);
  try {
    const row = await ctx.kysely
      .selectFrom('market_data')
      .select((eb) => [eb.fn.min('timestamp').as('first'), eb.fn.max('timestamp').as('last')])
      .where('symbol', '=', symbol)
      .where('timeframe', '=', timeframe)
      .executeTakeFirst();
    if (row === undefined || row.first === null || row.last === null) return undefined;
    return { first: String(row.first), last: String(row.last) };
  } catch (error) {
    throw toStorageError('getCoverage', error);
  }
}

/** `TradingDatabase.listSymbols` (documented there). */
export async function listSymbols(ctx: StorageContext, timeframe: Timeframe): Promise<string[]> {
  assertOneOf('timeframe', timeframe, TIMEFRAMES);
  try {
    const rows = await ctx.kysely
      .selectFrom('market_data')
      .select('symbol')
      .distinct()
      .where('timeframe', '=', timeframe)
      .orderBy('symbol')
      .execute();
    return rows.map((row) => row.symbol);
  } catch (error) {
    throw toStorageError('listSymbols', error);
  }
}

async function assertSymbolKnown(
  ctx: StorageContext,
  symbol: string,
  timeframe: Timeframe,
): Promise<void> {
  let known: unknown;
  try {
    known = await ctx.kysely
      .selectFrom('market_data')
      .select('symbol')
      .where('symbol', '=', symbol)
      .where('timeframe', '=', timeframe)
      .limit(1)
      .executeTakeFirst();
  } catch (error) {
    throw toStorageError('getBars', error);
  }
  if (known === undefined) throw unknownSymbol(symbol, timeframe);
}
