import { MemoryJournal } from '../memory-journal';
import { JournalWriter } from './journal-writer';
import { StepClock } from './testing/fakes';

describe('JournalWriter', () => {
  it('stamps each entry with the run, the cycle, the kind and the clock’s instant', async () => {
    const journal = new MemoryJournal();
    const clock = new StepClock(Date.parse('2024-03-01T21:00:00Z'));
    const writer = new JournalWriter(journal, 'run-7', clock);
    await writer.append('decision', 3, { status: 'traded', n: 1 });
    await clock.sleep(1_500);
    await writer.append('order_update', 3, { status: 'filled' }, 'qp-run-7-3-AAA-adjust');
    const entries = await journal.entries({ runId: 'run-7' });
    expect(entries).toEqual([
      {
        runId: 'run-7',
        cycle: 3,
        kind: 'decision',
        timestamp: '2024-03-01T21:00:00.000Z',
        payload: { status: 'traded', n: 1 },
        seq: 1,
      },
      {
        runId: 'run-7',
        cycle: 3,
        kind: 'order_update',
        timestamp: '2024-03-01T21:00:01.500Z',
        clientOrderId: 'qp-run-7-3-AAA-adjust',
        payload: { status: 'filled' },
        seq: 2,
      },
    ]);
    expect('clientOrderId' in (entries[0] as object)).toBe(false);
  });

  it('makes a payload JSON (non-finite numbers null, undefined members dropped)', async () => {
    const journal = new MemoryJournal();
    const writer = new JournalWriter(journal, 'r', new StepClock(0));
    await writer.append('risk_verdict', 1, {
      drawdown: Number.NaN,
      leverage: Number.POSITIVE_INFINITY,
      zero: -0,
      skipped: undefined,
      nested: [1, Number.NEGATIVE_INFINITY],
    });
    const [entry] = await journal.entries({ runId: 'r' });
    expect(entry?.payload).toEqual({ drawdown: null, leverage: null, zero: 0, nested: [1, null] });
    expect(Object.is((entry?.payload as { zero: number }).zero, 0)).toBe(true);
  });

  it('journals a JSON payload as it is, and hands back the journal’s own promise', async () => {
    const journal = new MemoryJournal();
    const writer = new JournalWriter(
      journal,
      'r',
      new StepClock(Date.parse('2024-01-02T00:00:00Z')),
    );
    const payload = { clientOrderId: 'x', quantity: 5 };
    const appended = writer.appendJson('order_intent', 2, payload, 'x');
    const stored = (await appended) as { seq: number; payload: unknown };
    expect(stored.seq).toBe(1);
    expect(stored.payload).toBe(payload); // not copied on the way
  });

  it('formats an instant once and follows the clock', () => {
    const clock = new StepClock(Date.parse('2024-03-01T21:00:00Z'));
    const writer = new JournalWriter(new MemoryJournal(), 'r', clock);
    const first = writer.nowIso();
    expect(first).toBe('2024-03-01T21:00:00.000Z');
    expect(writer.nowIso()).toBe(first);
    clock.ms += 60_000;
    expect(writer.nowIso()).toBe('2024-03-01T21:01:00.000Z');
  });
});
