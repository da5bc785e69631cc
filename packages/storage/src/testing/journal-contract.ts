/** Test support: part of the storage contract (see contract.ts). */
import { StorageError, ValidationError, type JsonValue } from '@quantpipe/core';
import type { TradingDatabase } from '../trading-database';
import {
  AWKWARD_NUMBERS,
  LONG_DECIMAL,
  countRows,
  freshDatabaseEachTest,
} from './contract-fixtures';
import type { StorageTarget } from './targets';

/** The journal (core `Journal` port). */
export function describeJournalContract(target: StorageTarget): void {
  describe('journal (core Journal port)', () => {
    const session = freshDatabaseEachTest(target);

    const base = { runId: 'run1', cycle: 1, timestamp: '2024-03-01T15:00:00Z' } as const;

    it('appends with increasing seq and reads back with filters', async () => {
      const payload: JsonValue = {
        weights: AWKWARD_NUMBERS.slice(0, 4),
        note: 'héllo ✓ "quoted" \\ \u0000',
        nested: { ok: true, none: null },
      };
      const a = await session.db.append({ ...base, kind: 'decision', payload });
      const b = await session.db.append({
        ...base,
        kind: 'order_intent',
        clientOrderId: 'c1',
        payload: { qty: 10 },
      });
      const c = await session.db.append({
        ...base,
        kind: 'order_sent',
        clientOrderId: 'c1',
        payload: { qty: 10 },
      });
      await session.db.append({ ...base, runId: 'run2', kind: 'decision', payload: [] });
      expect(a.seq).toBeLessThan(b.seq);
      expect(b.seq).toBeLessThan(c.seq);
      const all = await session.db.entries({ runId: 'run1' });
      expect(all).toEqual([a, b, c]);
      expect(all[0]?.payload).toEqual(payload);
      expect(await session.db.entries({ runId: 'run1', kinds: ['order_sent'] })).toEqual([c]);
      expect(await session.db.entries({ runId: 'run1', clientOrderId: 'c1' })).toEqual([b, c]);
      expect(await session.db.entries({ runId: 'run1', afterSeq: a.seq })).toEqual([b, c]);
      expect(await session.db.entries({ runId: 'run1', kinds: [] })).toEqual([]);
      expect(await session.db.entries({ runId: 'nobody' })).toEqual([]);
    });

    it('keeps appends in call order when they are issued concurrently', async () => {
      const appended = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          session.db.append({ ...base, cycle: i, kind: 'decision', payload: { i } }),
        ),
      );
      const seqs = appended.map((e) => e.seq);
      expect([...seqs].sort((x, y) => x - y)).toEqual(seqs);
      expect((await session.db.entries({ runId: 'run1' })).map((e) => e.cycle)).toEqual(
        Array.from({ length: 30 }, (_, i) => i),
      );
    });

    it.each<[string, Record<string, unknown>]>([
      ['NaN in the payload', { payload: { x: Number.NaN } }],
      ['undefined in the payload', { payload: { x: undefined } }],
      ['a Date in the payload', { payload: { at: new Date(0) } }],
      ['a non-UTC timestamp', { timestamp: '2024-03-01T10:00:00-05:00' }],
      ['a fractional cycle', { cycle: 1.5 }],
      ['an unknown kind', { kind: 'whatever' }],
      ['an empty run id', { runId: '' }],
    ])('refuses %s and writes nothing', async (_label, change) => {
      const entry = {
        ...base,
        kind: 'decision',
        payload: { ok: 1 },
        ...change,
      } as unknown as Parameters<TradingDatabase['append']>[0];
      await expect(session.db.append(entry)).rejects.toThrow(ValidationError);
      expect(await countRows(session.db, 'journal')).toBe(0);
    });

    it('detects a damaged row through its checksum', async () => {
      const entry = await session.db.append({ ...base, kind: 'fill', payload: { qty: 10 } });
      await session.db.kysely
        .updateTable('journal')
        .set({ payload: '{"qty":11}' })
        .where('seq', '=', entry.seq)
        .execute();
      await expect(session.db.entries({ runId: 'run1' })).rejects.toThrow(StorageError);
      await expect(session.db.entries({ runId: 'run1' })).rejects.toThrow(/checksum/);
    });

    it('saves and loads state per run and key', async () => {
      expect(await session.db.loadState('run1', 'peaks')).toBeUndefined();
      await session.db.saveState('run1', 'peaks', { equityPeak: 0.1 + 0.2, sessionPeak: 1e6 });
      await session.db.saveState('run1', 'peaks', { equityPeak: LONG_DECIMAL, sessionPeak: 1e6 });
      await session.db.saveState('run2', 'peaks', 'other');
      expect(await session.db.loadState('run1', 'peaks')).toEqual({
        equityPeak: LONG_DECIMAL,
        sessionPeak: 1e6,
      });
      expect(await session.db.loadState('run2', 'peaks')).toBe('other');
      // With the caller's own serialisation: the same row.
      const value = { equityPeak: LONG_DECIMAL, ages: [1, 2] };
      await session.db.saveState('run3', 'peaks', value, JSON.stringify(value));
      expect(await session.db.loadState('run3', 'peaks')).toEqual(value);
      await expect(
        session.db.saveState('run1', 'bad', { x: Number.POSITIVE_INFINITY }),
      ).rejects.toThrow(ValidationError);
      expect(await session.db.loadState('run1', 'bad')).toBeUndefined();
    });
  });
}
