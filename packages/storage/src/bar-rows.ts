import { NotFoundError, ValidationError, type Bar, type Timeframe } from '@quantpipe/core';
import { sql, type Kysely } from 'kysely';
import type { StorageSchema } from './schema';
import { assertPositivePrice, assertSymbol, assertTimestampOfTimeframe } from './validate';

/** Rows per statement for PostgreSQL bulk upserts (one array parameter per column). */
export const PG_BAR_CHUNK_ROWS = 10_000;

/** The NotFoundError for a symbol with no bars in a timeframe. */
export function unknownSymbol(symbol: string, timeframe: Timeframe): NotFoundError {
  return new NotFoundError(`symbol ${symbol} has no ${timeframe} bars in the database`, {
    context: { symbol, timeframe },
  });
}

/** Throws a ValidationError naming `bars[index].field` unless the bar can be stored. */
export function validateBar(bar: Bar, index: number, timeframe: Timeframe): void {
  const at = `bars[${index}]`;
  if (typeof bar !== 'object' || bar === null)
    throw new ValidationError(at, 'expected a bar object');
  assertSymbol(`${at}.symbol`, bar.symbol);
  assertTimestampOfTimeframe(`${at}.timestamp`, bar.timestamp, timeframe);
  assertPositivePrice(`${at}.open`, bar.open);
  assertPositivePrice(`${at}.high`, bar.high);
  assertPositivePrice(`${at}.low`, bar.low);
  assertPositivePrice(`${at}.close`, bar.close);
  if (typeof bar.volume !== 'number' || !Number.isFinite(bar.volume) || bar.volume < 0) {
    throw new ValidationError(
      `${at}.volume`,
      `expected a finite number >= 0, got ${String(bar.volume)}`,
    );
  }
}

/** Upserts up to PG_BAR_CHUNK_ROWS bars in one PostgreSQL statement, as column arrays. */
export async function upsertBarChunkPg(
  trx: Kysely<StorageSchema>,
  timeframe: Timeframe,
  chunk: readonly Bar[],
): Promise<void> {
  // One statement cannot update the same row twice: keep the last bar of each key.
  const byKey = new Map<string, Bar>();
  for (const bar of chunk) byKey.set(`${bar.symbol}\u0000${bar.timestamp}`, bar);
  const rows = [...byKey.values()];
  const symbols = rows.map((b) => b.symbol);
  const timestamps = rows.map((b) => b.timestamp);
  await sql`
    insert into market_data (symbol, timeframe, timestamp, open, high, low, close, volume)
    select s, ${timeframe}, t, o, h, l, c, v
    from unnest(${symbols}::text[], ${timestamps}::text[], ${rows.map((b) => b.open)}::float8[],
                ${rows.map((b) => b.high)}::float8[], ${rows.map((b) => b.low)}::float8[],
                ${rows.map((b) => b.close)}::float8[], ${rows.map((b) => b.volume)}::float8[])
         as input(s, t, o, h, l, c, v)
    on conflict (symbol, timeframe, timestamp) do update set
      open = excluded.open, high = excluded.high, low = excluded.low,
      close = excluded.close, volume = excluded.volume`.execute(trx);
}
