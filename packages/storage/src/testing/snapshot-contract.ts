/** Test support: part of the storage contract (see contract.ts). */
import { NotFoundError, ValidationError, type Position } from '@quantpipe/core';
import { DuplicateKeyError } from '../errors';
import { countRows, freshDatabaseEachTest } from './contract-fixtures';
import type { StorageTarget } from './targets';

/** Positions, portfolio snapshots, signals, alerts and runs. */
export function describeSnapshotContract(target: StorageTarget): void {
  describe('positions, portfolio, signals, alerts, runs', () => {
    const session = freshDatabaseEachTest(target);

    it('stores position snapshots, replacing one instant, and flat books', async () => {
      const p: Position = {
        symbol: 'AAPL',
        quantity: 10,
        avgEntryPriceUsd: 100,
        currentPriceUsd: 101,
        marketValueUsd: 1010,
        unrealizedPnlUsd: 10,
      };
      await session.db.savePositions('2024-03-01T20:00:00Z', [
        p,
        { ...p, symbol: 'MSFT', quantity: -3 },
      ]);
      await session.db.savePositions('2024-03-01T20:00:00Z', [p]);
      expect(await session.db.getPositions('2024-03-01T20:00:00Z')).toEqual([p]);
      expect(await session.db.getLatestPositions()).toEqual({
        timestamp: '2024-03-01T20:00:00Z',
        positions: [p],
      });
      await session.db.savePositions('2024-03-02T20:00:00Z', []);
      expect(await session.db.getLatestPositions()).toEqual({
        timestamp: '2024-03-02T20:00:00Z',
        positions: [],
      });
      await expect(session.db.savePositions('2024-03-03T20:00:00Z', [p, p])).rejects.toThrow(
        ValidationError,
      );
      await expect(
        session.db.savePositions('2024-03-03T20:00:00Z', [{ ...p, quantity: 0.5 }]),
      ).rejects.toThrow(ValidationError);
      await expect(
        session.db.savePositions('2024-03-03T20:00:00Z', [{ ...p, marketValueUsd: Number.NaN }]),
      ).rejects.toThrow(ValidationError);
      expect((await session.db.getLatestPositions())?.timestamp).toBe('2024-03-02T20:00:00Z');
    });

    it('stores portfolio snapshots and returns ranges and the latest', async () => {
      expect(await session.db.getLatestPortfolioSnapshot()).toBeUndefined();
      const s1 = {
        timestamp: '2024-03-01T20:00:00Z',
        cashUsd: 1e6,
        portfolioValueUsd: 1e6,
        equityUsd: 1e6,
        buyingPowerUsd: 2e6,
      };
      const s2 = {
        ...s1,
        timestamp: '2024-03-02T20:00:00Z',
        cashUsd: 0.1 + 0.2,
        dailyPnlUsd: -1234.5,
        totalPnlUsd: -1234.5,
      };
      await session.db.savePortfolioSnapshot(s1);
      await session.db.savePortfolioSnapshot(s2);
      expect(await session.db.getPortfolioSnapshots()).toEqual([s1, s2]);
      expect(await session.db.getPortfolioSnapshots({ start: '2024-03-02T00:00:00Z' })).toEqual([
        s2,
      ]);
      expect(await session.db.getLatestPortfolioSnapshot()).toEqual(s2);
      await expect(
        session.db.savePortfolioSnapshot({ ...s1, equityUsd: Number.NaN }),
      ).rejects.toThrow(ValidationError);
    });

    it('saves portfolio snapshot batches in one call; a bad one writes nothing', async () => {
      const snapshots = Array.from({ length: 1200 }, (_, i) => ({
        timestamp: new Date(Date.UTC(2024, 0, 1) + i * 86_400_000).toISOString(),
        cashUsd: i + 0.1 + 0.2,
        portfolioValueUsd: 1e6 + i,
        equityUsd: 1e6 + i,
        buyingPowerUsd: 2e6,
        ...(i % 2 === 0 ? { dailyPnlUsd: i / 3 } : {}),
      }));
      const replaced = { ...snapshots[5], equityUsd: 42 } as (typeof snapshots)[number];
      await session.db.savePortfolioSnapshots([...snapshots, replaced]);
      const stored = await session.db.getPortfolioSnapshots();
      expect(stored).toHaveLength(1200);
      expect(stored[5]).toEqual(replaced);
      expect(stored[1199]).toEqual(snapshots[1199]);
      await expect(
        session.db.savePortfolioSnapshots([
          { ...replaced, timestamp: '2030-01-01T00:00:00Z' },
          { ...replaced, cashUsd: Number.POSITIVE_INFINITY },
        ]),
      ).rejects.toThrow(/snapshots\[1\]\.cashUsd/);
      expect(await session.db.getPortfolioSnapshots()).toHaveLength(1200);
    });

    it('keeps one signal row per (timestamp, symbol): several symbols per timestamp', async () => {
      const row = {
        timestamp: '2024-03-01',
        composite: 0.5,
        volatility: -0.25,
        momentum: null,
        tailRisk: 0.1 + 0.2,
        beta: 1 / 3,
        carry: 0,
      };
      expect(
        await session.db.upsertSignals([
          { ...row, symbol: 'AAPL' },
          { ...row, symbol: 'MSFT', composite: -0.5 },
        ]),
      ).toBe(2);
      await session.db.upsertSignals([{ ...row, symbol: 'AAPL', composite: 0.75 }]);
      expect(await session.db.getSignals({ start: '2024-03-01', end: '2024-03-01' })).toEqual([
        { ...row, symbol: 'AAPL', composite: 0.75 },
        { ...row, symbol: 'MSFT', composite: -0.5 },
      ]);
      const bad = session.db.upsertSignals([
        { ...row, symbol: 'X' },
        { ...row, symbol: 'Y', beta: Number.NaN },
      ]);
      await expect(bad).rejects.toThrow(ValidationError);
      await expect(bad).rejects.toMatchObject({
        argument: 'records[1].beta',
        message: 'records[1].beta: expected a finite number or null, got NaN',
      });
      await expect(
        session.db.upsertSignals([{ ...row, timestamp: '2024-13-01', symbol: 'X' }]),
      ).rejects.toMatchObject({ argument: 'records[0].timestamp' });
      expect(await countRows(session.db, 'signals')).toBe(2);
    });

    it('upserts signal batches larger than one statement; a repeated key keeps the last record', async () => {
      const day = (i: number): string =>
        new Date(Date.UTC(2020, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
      const records = Array.from({ length: 1_200 }, (_, i) => ({
        timestamp: day(i),
        symbol: i % 2 === 0 ? 'AAPL' : 'MSFT',
        composite: i / 7,
        volatility: -i,
        momentum: i % 3 === 0 ? null : 0.1 * i,
        tailRisk: 1e-300 * i,
        beta: 1 / (i + 3),
        carry: i,
      }));
      const repeated = { ...(records[5] as (typeof records)[number]), composite: 42 };
      expect(await session.db.upsertSignals([...records, repeated])).toBe(1_201);
      expect(await countRows(session.db, 'signals')).toBe(1_200);
      const stored = await session.db.getSignals({ symbol: 'MSFT' });
      expect(stored).toHaveLength(600);
      expect(stored.find((r) => r.timestamp === repeated.timestamp)).toEqual(repeated);
      expect(stored.find((r) => r.timestamp === day(7))).toEqual(records[7]);
    });

    it('stores alerts and lists them by level and time', async () => {
      const id1 = await session.db.insertAlert({
        level: 'INFO',
        title: 'START',
        message: 'run started',
        timestamp: '2024-03-01T14:30:00Z',
      });
      await session.db.alert({
        level: 'CRITICAL',
        title: 'MAX DRAWDOWN BREACHED',
        message: 'dd -16%',
        timestamp: '2024-03-01T15:30:00Z',
        context: { drawdown: -0.16, limit: Number.NEGATIVE_INFINITY },
      });
      const critical = await session.db.listAlerts({ levels: ['CRITICAL'] });
      expect(critical).toEqual([
        expect.objectContaining({
          level: 'CRITICAL',
          title: 'MAX DRAWDOWN BREACHED',
          context: { drawdown: -0.16, limit: '-Infinity' },
        }),
      ]);
      expect((await session.db.listAlerts()).map((a) => a.id)[0]).toBe(id1);
      expect(await session.db.listAlerts({ since: '2024-03-01T15:00:00Z' })).toHaveLength(1);
      await expect(
        session.db.insertAlert({
          level: 'LOUD' as 'INFO',
          title: '',
          message: '',
          timestamp: '2024-03-01T15:30:00Z',
        }),
      ).rejects.toThrow(ValidationError);
    });

    it('records runs, refuses duplicates and unknown ids', async () => {
      const run = await session.db.createRun({
        runId: 'run1',
        startedAt: '2024-03-01T14:00:00Z',
        mode: 'paper',
        config: { symbols: ['AAPL'] },
      });
      expect(run).toEqual({
        runId: 'run1',
        startedAt: '2024-03-01T14:00:00Z',
        status: 'running',
        mode: 'paper',
        config: { symbols: ['AAPL'] },
      });
      await expect(
        session.db.createRun({ runId: 'run1', startedAt: '2024-03-01T14:00:00Z' }),
      ).rejects.toThrow(DuplicateKeyError);
      expect(
        await session.db.finishRun('run1', {
          stoppedAt: '2024-03-01T21:00:00Z',
          status: 'stopped',
        }),
      ).toMatchObject({ status: 'stopped', stoppedAt: '2024-03-01T21:00:00Z' });
      await expect(
        session.db.finishRun('nope', { stoppedAt: '2024-03-01T21:00:00Z', status: 'failed' }),
      ).rejects.toThrow(NotFoundError);
      await expect(session.db.getRun('nope')).rejects.toThrow(NotFoundError);
      expect((await session.db.listRuns()).map((r) => r.runId)).toEqual(['run1']);
    });
  });
}
