import fc from 'fast-check';
import type { JsonValue } from '@quantpipe/core';
import { StateStore } from './state-store';
import { RecordingJournal } from './testing/fakes';

describe('StateStore', () => {
  it('writes a key when its JSON changed, with the text it compared', async () => {
    const journal = new RecordingJournal();
    const store = new StateStore(journal, 'run');
    await store.save('risk_monitor', { peak: 100 });
    await store.save('risk_monitor', { peak: 100 });
    await store.save('risk_monitor', { peak: 101 });
    await store.save('tail_hedge', { peak: 101 });
    expect(journal.saves).toEqual([
      { key: 'risk_monitor', value: { peak: 100 }, json: '{"peak":100}' },
      { key: 'risk_monitor', value: { peak: 101 }, json: '{"peak":101}' },
      { key: 'tail_hedge', value: { peak: 101 }, json: '{"peak":101}' },
    ]);
    expect(await store.load('risk_monitor')).toEqual({ peak: 101 });
    expect(await store.load('missing')).toBeUndefined();
  });

  it('stores JSON: non-finite numbers become null; a JSON value is passed as it is', async () => {
    const journal = new RecordingJournal();
    const store = new StateStore(journal, 'run');
    await store.save('engine', { equity: Number.NaN, skip: undefined, list: [Infinity, 1] });
    expect(journal.saves[0]?.value).toEqual({ equity: null, list: [null, 1] });
    expect(journal.saves[0]?.json).toBe('{"equity":null,"list":[null,1]}');
    // The same JSON text: nothing is written.
    await store.save('engine', { equity: null, list: [null, 1] });
    expect(journal.saves).toHaveLength(1);
    const json = { symbols: ['A'], currentPosition: [0.5], positionAge: [2] };
    await store.save('position_decay', json, true);
    expect(journal.saves[1]?.value).toBe(json);
  });

  it('does not write back a value it adopted from elsewhere', async () => {
    const journal = new RecordingJournal();
    const store = new StateStore(journal, 'run');
    const stored = { version: 1, tripped: true };
    expect(store.isCurrent('kill_switch', stored)).toBe(false);
    store.adopt('kill_switch', stored);
    expect(store.isCurrent('kill_switch', { version: 1, tripped: true })).toBe(true);
    expect(store.isCurrent('kill_switch', { tripped: true, version: 1 })).toBe(false); // other text
    await store.save('kill_switch', { version: 1, tripped: true });
    expect(journal.saves).toEqual([]);
  });

  it('write always writes, and what it wrote counts as current', async () => {
    const journal = new RecordingJournal();
    const store = new StateStore(journal, 'run');
    await store.write('risk_acknowledgement', { requestedAt: 't1' });
    await store.write('risk_acknowledgement', { requestedAt: 't1' });
    expect(journal.saves.map((s) => s.key)).toEqual([
      'risk_acknowledgement',
      'risk_acknowledgement',
    ]);
    await store.save('risk_acknowledgement', { requestedAt: 't1' });
    expect(journal.saves).toHaveLength(2);
  });

  it('a failed write is tried again by the next save', async () => {
    const journal = new RecordingJournal();
    let fail = true;
    const failing = Object.assign(Object.create(journal) as RecordingJournal, {
      saveState: async (runId: string, key: string, value: JsonValue, json?: string) => {
        if (fail) throw new Error('disk full');
        await journal.saveState(runId, key, value, json);
      },
    });
    const store = new StateStore(failing, 'run');
    await expect(store.save('engine', { a: 1 })).rejects.toThrow('disk full');
    fail = false;
    await store.save('engine', { a: 1 });
    expect(journal.saves).toHaveLength(1);
    expect(await store.load('engine')).toEqual({ a: 1 });
  });

  it('never writes an unchanged value, and always writes a changed one', async () => {
    const value = fc.oneof(
      fc.constant<unknown>(null),
      fc.integer({ min: 0, max: 3 }),
      fc.constantFrom<unknown>(Number.NaN, Number.POSITIVE_INFINITY),
      fc.record({
        a: fc.integer({ min: 0, max: 2 }),
        b: fc.constantFrom<unknown>(true, undefined),
      }),
      fc.array(fc.integer({ min: 0, max: 2 }), { maxLength: 2 }),
    );
    const op = fc.record({
      kind: fc.constantFrom('save', 'save', 'save', 'write', 'adopt'),
      key: fc.constantFrom('engine', 'risk_monitor', 'kill_switch'),
      value,
    });
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 40 }), async (ops) => {
        const journal = new RecordingJournal();
        const store = new StateStore(journal, 'run');
        const known = new Map<string, string>();
        for (const { kind, key, value: v } of ops) {
          const text = JSON.stringify(v);
          const before = journal.saves.length;
          if (kind === 'adopt') store.adopt(key, v);
          else if (kind === 'write')
            await store.write(key, JSON.parse(text ?? 'null') as JsonValue);
          else await store.save(key, v);
          const wrote = journal.saves.length - before;
          if (kind === 'adopt') expect(wrote).toBe(0);
          else if (kind === 'write') expect(wrote).toBe(1);
          else expect(wrote).toBe(known.get(key) === text ? 0 : 1);
          if (kind === 'write') known.set(key, JSON.stringify(JSON.parse(text ?? 'null')));
          else known.set(key, text);
          if (wrote === 1 && kind === 'save') {
            const saved = journal.saves[journal.saves.length - 1];
            expect(saved?.json).toBe(text);
            expect(JSON.stringify(saved?.value)).toBe(text);
          }
        }
      }),
    );
  });
});
