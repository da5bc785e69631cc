import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@quantpipe/core';
import { openDatabase } from '@quantpipe/storage';
import { runTrader } from './run-trader';

describe('trader run --broker sim (no credentials: the synthetic market, replayed)', () => {
  it('trades the in-process simulated broker and records the cycle', async () => {
    const saved = {
      id: process.env['APCA_API_KEY_ID'],
      secret: process.env['APCA_API_SECRET_KEY'],
    };
    delete process.env['APCA_API_KEY_ID'];
    delete process.env['APCA_API_SECRET_KEY'];
    try {
      const dir = mkdtempSync(join(tmpdir(), 'trader-sim-'));
      const configPath = join(dir, 'sim.json');
      const dbUrl = `sqlite:${join(dir, 'sim.db')}`;
      writeFileSync(
        configPath,
        JSON.stringify({
          symbols: ['AAA', 'BBB'],
          broker: 'sim',
          database: dbUrl,
          run_id: 'sim',
          use_hourly: false,
          history_days: 400,
        }),
      );
      const result = await runTrader({
        createDatabase: true,
        configPath,
        once: true,
        logger: silentLogger,
      });
      const report = result.cycles[0];
      expect(report?.status).toBe('traded');
      expect(report?.orders.length).toBe(2);
      expect(report?.orders.every((o) => o.status === 'filled')).toBe(true);
      const db = await openDatabase(dbUrl);
      try {
        expect(await db.listOrders({ runId: 'sim' })).toHaveLength(2);
        expect((await db.getPortfolioSnapshots()).length).toBe(1);
      } finally {
        await db.close();
      }
    } finally {
      if (saved.id !== undefined) process.env['APCA_API_KEY_ID'] = saved.id;
      if (saved.secret !== undefined) process.env['APCA_API_SECRET_KEY'] = saved.secret;
    }
  }, 30_000);
});
