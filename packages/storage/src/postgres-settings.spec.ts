import { silentLogger } from '@quantpipe/core';
import pg from 'pg';
import { openDatabase } from './open-database';
import { AWKWARD_NUMBERS } from './testing/contract';
import { postgresSkipReason, postgresTarget, postgresTestUrl } from './testing/targets';

const url = postgresTestUrl();
const describePg = url === undefined ? describe.skip : describe;

describePg(
  `PostgreSQL connection settings${url === undefined ? ` (skipped: ${postgresSkipReason()})` : ''}`,
  () => {
    it('keeps doubles exact even when the database lowers extra_float_digits', async () => {
      const fresh = await postgresTarget(url as string).fresh();
      const admin = new pg.Client({ connectionString: fresh.url });
      try {
        await admin.connect();
        const dbName = new URL(fresh.url).pathname.slice(1);
        await admin.query(`alter database ${dbName} set extra_float_digits = 0`);
        await admin.end();
        // A new plain session now gets rounded float8 text.
        const plain = new pg.Client({ connectionString: fresh.url });
        await plain.connect();
        const rounded = await plain.query<{ v: string }>(
          'select (0.1::float8 + 0.2::float8)::text as v',
        );
        await plain.end();
        expect(rounded.rows[0]?.v).toBe('0.3');

        const db = await openDatabase(fresh.url);
        try {
          await db.saveState('r', 'awkward', [...AWKWARD_NUMBERS]);
          const snapshot = {
            timestamp: '2024-01-02T21:00:00Z',
            cashUsd: 0.1 + 0.2,
            portfolioValueUsd: Number('123456789.123456789'),
            equityUsd: 1e-300,
            buyingPowerUsd: Number.MAX_VALUE,
          };
          await db.savePortfolioSnapshot(snapshot);
          expect(await db.getLatestPortfolioSnapshot()).toEqual(snapshot);
        } finally {
          await db.close();
        }
      } finally {
        await admin.end().catch(() => undefined);
        await fresh.cleanup();
      }
    });

    it('survives the server terminating idle pool connections', async () => {
      const fresh = await postgresTarget(url as string).fresh();
      const warnings: unknown[] = [];
      const logger = { ...silentLogger, warn: (obj: object | string) => void warnings.push(obj) };
      const db = await openDatabase(fresh.url, { logger });
      try {
        await db.saveState('r', 'k', 1);
        const admin = new pg.Client({ connectionString: url as string });
        await admin.connect();
        const dbName = new URL(fresh.url).pathname.slice(1);
        const killed = await admin.query(
          'select pg_terminate_backend(pid) from pg_stat_activity where datname = $1',
          [dbName],
        );
        await admin.end();
        expect(killed.rowCount).toBeGreaterThan(0);
        // The pool reports the lost connection instead of crashing the process, and reconnects.
        for (let i = 0; i < 40 && warnings.length === 0; i++)
          await new Promise((r) => setTimeout(r, 25));
        expect(warnings.length).toBeGreaterThan(0);
        expect(await db.loadState('r', 'k')).toBe(1);
      } finally {
        await db.close();
        await fresh.cleanup();
      }
    });

    it('reads bigint share counts as exact numbers', async () => {
      const fresh = await postgresTarget(url as string).fresh();
      const db = await openDatabase(fresh.url);
      try {
        const position = {
          symbol: 'BIG',
          quantity: -(2 ** 53 - 1),
          avgEntryPriceUsd: 1,
          currentPriceUsd: 1,
          marketValueUsd: 1,
          unrealizedPnlUsd: 0,
        };
        await db.savePositions('2024-01-02T21:00:00Z', [position]);
        const [back] = await db.getPositions('2024-01-02T21:00:00Z');
        expect(typeof back?.quantity).toBe('number');
        expect(back?.quantity).toBe(-(2 ** 53 - 1));
      } finally {
        await db.close();
        await fresh.cleanup();
      }
    });
  },
);
