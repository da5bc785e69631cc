import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { ValidationError, type JournalEntry } from '@quantpipe/core';
import { AlertManager, MemoryAlertSink, WebhookAlertSink } from './alert-manager';
import { clientOrderIdFor } from './client-order-id';
import { MemoryJournal } from './memory-journal';
import { SimClock } from './sim-clock';
import { lastCompleteDailyDate, lastCompleteHourlyStart } from './session-time';

describe('SimClock', () => {
  it('moves only when told, and sleep advances simulated time at once', async () => {
    const c = new SimClock('2024-03-01T21:00:00Z');
    await c.sleep(30_000);
    expect(c.nowIso()).toBe('2024-03-01T21:00:30.000Z');
    c.advance(1000);
    expect(c.now()).toBe(Date.parse('2024-03-01T21:00:31Z'));
    expect(() => c.set('2024-03-01T00:00:00Z')).toThrow(ValidationError);
  });
});

describe('MemoryJournal', () => {
  it('appends with increasing seq, filters, and reads return copies', async () => {
    const j = new MemoryJournal();
    await j.append({ runId: 'r', cycle: 1, kind: 'decision', timestamp: 't', payload: { a: 1 } });
    await j.append({
      runId: 'r',
      cycle: 1,
      kind: 'order_intent',
      timestamp: 't',
      clientOrderId: 'x',
      payload: null,
    });
    await j.append({ runId: 'other', cycle: 1, kind: 'decision', timestamp: 't', payload: null });
    const first = await j.entries({ runId: 'r' });
    (first[0]?.payload as { a: number }).a = 2;
    const all = await j.entries({ runId: 'r' });
    expect(all.map((e) => e.seq)).toEqual([1, 2]);
    expect(all[0]?.payload).toEqual({ a: 1 });
    expect(await j.entries({ runId: 'r', clientOrderId: 'x' })).toHaveLength(1);
    expect(await j.entries({ runId: 'r', afterSeq: 1 })).toHaveLength(1);
    await j.saveState('r', 'k', { v: [1, 2] });
    expect(await j.loadState('r', 'k')).toEqual({ v: [1, 2] });
    await j.saveState('r', 'k2', { v: [3] }, JSON.stringify({ v: [3] }));
    expect(await j.loadState('r', 'k2')).toEqual({ v: [3] });
    expect(await j.loadState('r', 'missing')).toBeUndefined();
  });

  it('keepCycles prunes old cycles but keeps run-level entries', async () => {
    const j = new MemoryJournal({ keepCycles: 2 });
    await j.append({ runId: 'r', cycle: 0, kind: 'run_started', timestamp: 't', payload: null });
    for (let c = 1; c <= 5; c++)
      await j.append({ runId: 'r', cycle: c, kind: 'decision', timestamp: 't', payload: null });
    expect((await j.entries({ runId: 'r' })).map((e) => e.cycle)).toEqual([0, 3, 4, 5]);
  });

  it('keepCycles stays exact over a long run (the store is shortened in batches)', async () => {
    const j = new MemoryJournal({ keepCycles: 2 });
    await j.append({ runId: 'r', cycle: 0, kind: 'run_started', timestamp: 't', payload: null });
    for (let c = 1; c <= 3000; c++) {
      for (const kind of ['decision', 'order_intent', 'fill'] as const)
        await j.append({ runId: 'r', cycle: c, kind, timestamp: 't', payload: c });
      if (c % 500 === 0)
        await j.append({ runId: 'other', cycle: 1, kind: 'alert', timestamp: 't', payload: c });
    }
    const cycles = (await j.entries({ runId: 'r' })).map((e) => e.cycle);
    expect(cycles).toEqual([0, 2998, 2998, 2998, 2999, 2999, 2999, 3000, 3000, 3000]);
    expect((await j.entries({ runId: 'other' })).map((e) => e.payload)).toEqual([
      500, 1000, 1500, 2000, 2500, 3000,
    ]);
    expect(j.size).toBe(16);
  });

  it('keepCycles keeps exactly what a full filter keeps, with runs interleaved', async () => {
    const kinds = ['decision', 'order_intent', 'fill', 'alert'] as const;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 3 }),
        fc.array(
          fc.record({
            run: fc.constantFrom('a', 'b'),
            advance: fc.integer({ min: 0, max: 2 }),
            kind: fc.constantFrom(...kinds),
          }),
          { maxLength: 60 },
        ),
        async (keepCycles, steps) => {
          const j = new MemoryJournal({ keepCycles });
          const reference: JournalEntry[] = [];
          const cycleOf: Record<string, number> = { a: 0, b: 0 };
          let seq = 0;
          for (const step of steps) {
            const cycle = (cycleOf[step.run] as number) + step.advance;
            cycleOf[step.run] = cycle;
            const entry = { runId: step.run, cycle, kind: step.kind, timestamp: 't', payload: seq };
            await j.append(entry);
            reference.push({ ...entry, seq: ++seq });
            if (step.kind === 'decision' && cycle > keepCycles) {
              const below = cycle - keepCycles;
              const kept = reference.filter(
                (e) => !(e.runId === step.run && e.cycle > 0 && e.cycle < below),
              );
              reference.splice(0, reference.length, ...kept);
            }
          }
          for (const run of ['a', 'b'])
            expect(await j.entries({ runId: run })).toEqual(
              reference.filter((e) => e.runId === run),
            );
          expect(j.size).toBe(reference.length);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('client order ids', () => {
  it('are deterministic per (run, cycle, symbol, leg) and validated', () => {
    expect(clientOrderIdFor('live', 12, 'AAPL', 'open')).toBe('qp-live-12-AAPL-open');
    expect(clientOrderIdFor('live', 12, 'AAPL', 'open')).toBe(
      clientOrderIdFor('live', 12, 'AAPL', 'open'),
    );
    expect(() => clientOrderIdFor('bad id', 1, 'A', 'adjust')).toThrow(ValidationError);
    expect(() => clientOrderIdFor('r', 0, 'A', 'adjust')).toThrow(ValidationError);
  });
});

describe('session time', () => {
  it('a daily bar counts only after the 16:00 New York close', () => {
    expect(lastCompleteDailyDate(Date.parse('2024-07-01T19:59:00Z'))).toBe('2024-06-30'); // 15:59 EDT
    expect(lastCompleteDailyDate(Date.parse('2024-07-01T20:00:00Z'))).toBe('2024-07-01'); // 16:00 EDT
    expect(lastCompleteDailyDate(Date.parse('2024-01-02T20:30:00Z'))).toBe('2024-01-01'); // 15:30 EST
    expect(lastCompleteHourlyStart(Date.parse('2024-01-02T20:30:00.123Z'))).toBe(
      '2024-01-02T19:30:00Z',
    );
  });
});

describe('AlertManager', () => {
  it('logs by level, fans out to sinks, and survives a failing sink', async () => {
    const logged: string[] = [];
    const logger = {
      debug: () => undefined,
      info: (_o: object | string, m?: string) => void logged.push(`info ${m}`),
      warn: (_o: object | string, m?: string) => void logged.push(`warn ${m}`),
      error: (_o: object | string, m?: string) => void logged.push(`error ${m}`),
    };
    const memory = new MemoryAlertSink();
    const manager = new AlertManager({
      logger,
      sinks: [{ alert: () => Promise.reject(new Error('down')) }, memory],
      now: () => 0,
    });
    await manager.raise('CRITICAL', 'MAX DRAWDOWN BREACHED', 'Drawdown: -16.00%');
    await manager.raise('INFO', 'REBALANCE COMPLETED', 'ok');
    expect(memory.alerts.map((a) => a.level)).toEqual(['CRITICAL', 'INFO']);
    expect(logged).toContain('error MAX DRAWDOWN BREACHED: Drawdown: -16.00%');
    expect(logged).toContain('error alert sink failed');
    expect(memory.alerts[0]?.timestamp).toBe('1970-01-01T00:00:00.000Z');
  });

  it('posts WARNING and CRITICAL alerts to a webhook (127.0.0.1 only)', async () => {
    const received: unknown[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        received.push(JSON.parse(body));
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
      const sink = new WebhookAlertSink({ url });
      await sink.alert({ level: 'INFO', title: 'skip', message: '', timestamp: 't' });
      await sink.alert({
        level: 'CRITICAL',
        title: 'KILL SWITCH TRIPPED',
        message: 'why',
        timestamp: 't',
        context: { a: 1 },
      });
      expect(received).toEqual([
        {
          level: 'CRITICAL',
          title: 'KILL SWITCH TRIPPED',
          message: 'why',
          timestamp: 't',
          context: { a: 1 },
        },
      ]);
    } finally {
      server.close();
    }
  });
});
