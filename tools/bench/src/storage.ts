/**
 * Storage benchmark: bulk upsert of 1,000,000 daily bars (200 symbols x 5,000 days) into a
 * SQLite file through `TradingDatabase.upsertBars`, then read-back of every symbol's full
 * range and of random one-year ranges. Also times the alternative write path, kysely-compiled
 * multi-row INSERTs in one transaction, on 100,000 bars, to justify the prepared-statement
 * loop the SQLite upsert uses.
 *
 * Run: node --conditions=@quantpipe/source --import tsx tools/bench/src/storage.ts
 * Options: --rows <n> (default 1000000), --keep (keep the SQLite file), --url <database url>
 * (another database instead of a new SQLite file, e.g. an empty PostgreSQL database).
 */
import type { Bar } from '@quantpipe/core';
import { openDatabase, type TradingDatabase } from '@quantpipe/storage';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatCount, machineLine } from './harness';

const SYMBOLS = 200;
const DAY_MS = 86_400_000;
const FIRST_DAY_MS = Date.UTC(2000, 0, 3);

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** Deterministic synthetic bars: `rows` bars spread over SYMBOLS symbols, ascending days. */
function makeBars(rows: number, symbolPrefix: string): Bar[] {
  const perSymbol = Math.ceil(rows / SYMBOLS);
  const bars: Bar[] = [];
  for (let s = 0; s < SYMBOLS && bars.length < rows; s++) {
    const symbol = `${symbolPrefix}${String(s).padStart(3, '0')}`;
    let close = 50 + s;
    for (let d = 0; d < perSymbol && bars.length < rows; d++) {
      // A cheap deterministic walk; values are awkward doubles, as real prices are.
      close *= 1 + Math.sin(d * 0.37 + s) * 0.01;
      const timestamp = new Date(FIRST_DAY_MS + d * DAY_MS).toISOString().slice(0, 10);
      bars.push({
        symbol,
        timestamp,
        open: close * 0.999,
        high: close * 1.004,
        low: close * 0.995,
        close,
        volume: 1_000_000 + ((d * 7919 + s) % 500_000),
      });
    }
  }
  return bars;
}

function seconds(t0: bigint): number {
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

async function kyselyMultiRowInsert(db: TradingDatabase, bars: readonly Bar[]): Promise<void> {
  const rowsPerStatement = 500; // 8 parameters per row, under SQLite's 32,766 limit
  await db.kysely.transaction().execute(async (trx) => {
    for (let i = 0; i < bars.length; i += rowsPerStatement) {
      const values = bars.slice(i, i + rowsPerStatement).map((b) => ({ ...b, timeframe: '1Day' }));
      await trx
        .insertInto('market_data')
        .values(values)
        .onConflict((oc) =>
          oc.columns(['symbol', 'timeframe', 'timestamp']).doUpdateSet((eb) => ({
            open: eb.ref('excluded.open'),
            high: eb.ref('excluded.high'),
            low: eb.ref('excluded.low'),
            close: eb.ref('excluded.close'),
            volume: eb.ref('excluded.volume'),
          })),
        )
        .execute();
    }
  });
}

async function main(): Promise<void> {
  const rows = Number(argValue('--rows') ?? 1_000_000);
  const keep = process.argv.includes('--keep');
  const dir = mkdtempSync(join(tmpdir(), 'qp-bench-storage-'));
  const file = join(dir, 'bench.db');
  const url = argValue('--url') ?? `sqlite:${file}`;
  console.log(
    `storage benchmark — ${machineLine()}; ${url.startsWith('sqlite:') ? `SQLite file ${file}` : 'PostgreSQL'}`,
  );
  console.log('(shared 2-core machine: other work may be running; figures are indicative)');

  const bars = makeBars(rows, 'S');
  const db = await openDatabase(url);
  const method =
    db.dialect === 'sqlite' ? 'prepared statement' : 'unnest arrays, 10k rows/statement';
  try {
    let t0 = process.hrtime.bigint();
    await db.upsertBars('1Day', bars);
    let s = seconds(t0);
    console.log(
      `write  (insert, 1 transaction, ${method}): ${formatCount(rows)} bars in ${s.toFixed(2)} s = ${formatCount(rows / s)} rows/s`,
    );

    t0 = process.hrtime.bigint();
    await db.upsertBars('1Day', bars);
    s = seconds(t0);
    console.log(
      `write  (upsert over existing rows):                 ${formatCount(rows)} bars in ${s.toFixed(2)} s = ${formatCount(rows / s)} rows/s`,
    );

    const symbols = await db.listSymbols('1Day');
    t0 = process.hrtime.bigint();
    let read = 0;
    for (const symbol of symbols) {
      read += (await db.getBars({ symbol, timeframe: '1Day', start: '1990-01-01' })).length;
    }
    s = seconds(t0);
    if (read !== rows) throw new Error(`read back ${read} bars, wrote ${rows}`);
    console.log(
      `read   (getBars, full range of each of ${symbols.length} symbols): ${formatCount(read)} bars in ${s.toFixed(2)} s = ${formatCount(read / s)} rows/s`,
    );

    const queries = 2_000;
    const perSymbol = Math.ceil(rows / SYMBOLS);
    let x = 12345;
    t0 = process.hrtime.bigint();
    let ranged = 0;
    for (let q = 0; q < queries; q++) {
      x = (x * 1103515245 + 12345) % 2147483648;
      const symbol = symbols[x % symbols.length] as string;
      const startDay = x % Math.max(1, perSymbol - 365);
      const start = new Date(FIRST_DAY_MS + startDay * DAY_MS).toISOString().slice(0, 10);
      const end = new Date(FIRST_DAY_MS + (startDay + 364) * DAY_MS).toISOString().slice(0, 10);
      ranged += (await db.getBars({ symbol, timeframe: '1Day', start, end })).length;
    }
    s = seconds(t0);
    console.log(
      `read   (${queries} random one-year ranges): ${formatCount(queries / s)} queries/s, ${formatCount(ranged / s)} rows/s`,
    );

    const sample = makeBars(Math.min(rows, 100_000), 'K');
    t0 = process.hrtime.bigint();
    await kyselyMultiRowInsert(db, sample);
    s = seconds(t0);
    console.log(
      `compare: kysely multi-row INSERT (500 rows/statement, 1 transaction): ${formatCount(sample.length)} bars in ${s.toFixed(2)} s = ${formatCount(sample.length / s)} rows/s`,
    );
    await db.checkIntegrity();
  } finally {
    await db.close();
  }
  if (url === `sqlite:${file}`)
    console.log(`database file: ${(statSync(file).size / 1e6).toFixed(1)} MB`);
  if (!keep) rmSync(dir, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
