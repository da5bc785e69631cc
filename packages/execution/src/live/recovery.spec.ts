import type { JournalEntry, JsonValue, Strategy } from '@quantpipe/core';
import { HedgeStep } from '../core/hedge-step';
import { RiskGate } from '../core/risk-gate';
import { SizingStep } from '../core/sizing-step';
import { SymbolTable } from '../core/symbol-table';
import { resolveEngineConfig } from '../engine-config';
import { MemoryJournal } from '../memory-journal';
import { adoptStoredKillSwitch, legsOf, restoreRun } from './recovery';
import {
  STATE_DECAY,
  STATE_ENGINE,
  STATE_HEDGE,
  STATE_KILL,
  STATE_RISK,
  STATE_STRATEGY,
  StateStore,
} from './state-store';
import { ListLogger, RecordingJournal } from './testing/fakes';

const config = resolveEngineConfig({ symbols: ['AAA', 'BBB'] });
const NOW = Date.parse('2024-03-04T21:00:00Z');

function parts(journal: MemoryJournal, runId = 'live') {
  const table = new SymbolTable(config.symbols);
  const logger = new ListLogger();
  const restored: JsonValue[] = [];
  const strategy: Strategy = {
    name: 'probe',
    decide: () => ({ decisions: [], weights: {}, health: {}, ic: {}, hybrid: false }),
    restore: (state) => void restored.push(state),
  };
  return {
    journal,
    runId,
    store: new StateStore(journal, runId),
    gate: new RiskGate(config, { now: () => NOW }),
    hedge: new HedgeStep(config, logger),
    sizing: new SizingStep(config, table),
    strategy,
    logger,
    table,
    restored,
  };
}

const entry = (cycle: number, kind: JournalEntry['kind'], payload: JsonValue = null) => ({
  runId: 'live',
  cycle,
  kind,
  timestamp: '2024-03-04T21:00:00.000Z',
  payload,
});

describe('restoreRun', () => {
  it('a fresh run finds nothing: no expected positions, cycle 0, nothing interrupted', async () => {
    const p = parts(new MemoryJournal());
    const found = await restoreRun(p);
    expect(found).toEqual({
      expectedPositions: null,
      lastCycle: 0,
      lastCompletedCycle: 0,
      interrupted: undefined,
    });
    expect(p.gate.tripped).toBe(false);
    expect(p.restored).toEqual([]);
    expect(p.logger.lines).toEqual([]);
  });

  it('restores every piece of state the engine saved', async () => {
    const journal = new MemoryJournal();
    // What an earlier engine left: its peaks at 100 000, a tripped switch, an active hedge.
    const before = parts(journal);
    before.gate.checkCycle(
      { cashUsd: 1e5, equityUsd: 1e5, buyingPowerUsd: 1e5, portfolioValueUsd: 1e5 },
      [],
      '2024-03-01T21:00:00.000Z',
    );
    before.gate.kill('operator');
    before.hedge.step(1e5, 5e4, -0.07, '2024-03-01', 93, 100);
    await journal.saveState('live', STATE_ENGINE, {
      expectedPositions: { AAA: 10, BBB: -5 },
      hedgeEquityUsd: 98_000,
      hedgeSession: '2024-03-01',
      lossesAcknowledgedAt: '2024-02-28T10:00:00.000Z',
    });
    await journal.saveState(
      'live',
      STATE_RISK,
      JSON.parse(JSON.stringify(before.gate.monitor.toJSON())),
    );
    await journal.saveState(
      'live',
      STATE_KILL,
      JSON.parse(JSON.stringify(before.gate.killSwitchState())),
    );
    await journal.saveState('live', STATE_HEDGE, JSON.parse(JSON.stringify(before.hedge.toJSON())));
    await journal.saveState('live', STATE_STRATEGY, { ewma: [1, 2] });
    await journal.saveState('live', STATE_DECAY, {
      symbols: ['BBB', 'XTRA'],
      currentPosition: [0.4, -0.1],
      positionAge: [3, 0],
      lastExchangeSession: [null, null],
    });
    const p = parts(journal);
    const found = await restoreRun(p);
    expect(found.expectedPositions).toEqual({ AAA: 10, BBB: -5 });
    expect(p.gate.lossesAcknowledgedAt).toBe('2024-02-28T10:00:00.000Z');
    expect(p.gate.tripped).toBe(true);
    expect(p.gate.killSwitch.reason).toBe('operator');
    expect(p.gate.monitor.toJSON()).toEqual(before.gate.monitor.toJSON());
    expect(p.hedge.toJSON()).toEqual(before.hedge.toJSON());
    expect(p.hedge.equityUsd).toBe(98_000);
    expect(p.hedge.session).toBe('2024-03-01');
    expect(p.restored).toEqual([{ ewma: [1, 2] }]);
    expect(p.sizing.decayState()).toEqual({
      symbols: ['BBB', 'XTRA'],
      currentPosition: [0.4, -0.1],
      positionAge: [3, 0],
      lastExchangeSession: [null, null],
    });
    expect(p.table.find('XTRA')).toBe(2);
    // The adopted kill switch counts as known: the next save does not write it back.
    expect(p.store.isCurrent(STATE_KILL, p.gate.killSwitchState())).toBe(true);
  });

  it('starts unreadable parts fresh, each with a warning', async () => {
    const journal = new MemoryJournal();
    await journal.saveState('live', STATE_ENGINE, {
      expectedPositions: 'lots',
      hedgeEquityUsd: 'x',
      hedgeSession: 7,
      lossesAcknowledgedAt: 1,
    });
    await journal.saveState('live', STATE_RISK, { version: 2 });
    await journal.saveState('live', STATE_HEDGE, { version: 2 });
    await journal.saveState('live', STATE_KILL, { version: 1, tripped: 'maybe' });
    const p = parts(journal);
    const found = await restoreRun(p);
    expect(found.expectedPositions).toBeNull();
    expect(p.gate.lossesAcknowledgedAt).toBeNull();
    expect(p.hedge.equityUsd).toBeNull();
    expect(p.hedge.session).toBeNull();
    expect(p.gate.tripped).toBe(true); // an unreadable kill switch is read as tripped
    expect(p.gate.monitor.toJSON().overallPeakUsd).toBeNull();
    expect(p.hedge.toJSON().state).toBe('INACTIVE');
    expect(p.logger.messages('warn')).toEqual([
      'risk monitor state unreadable; starting fresh',
      'tail hedge state unreadable; starting INACTIVE',
    ]);
  });

  it('finds the last cycle, the last completed one, and a decision a crash interrupted', async () => {
    const journal = new MemoryJournal();
    await journal.append(entry(0, 'run_started'));
    await journal.append(entry(1, 'decision', { legs: [] }));
    await journal.append(entry(1, 'cycle_completed'));
    await journal.append(entry(2, 'cycle_completed', { status: 'skipped' })); // stale data
    const legs = [{ clientOrderId: 'qp-live-3-AAA-adjust', symbol: 'AAA' }];
    await journal.append(entry(3, 'decision', { status: 'traded', legs }));
    await journal.append(entry(3, 'order_intent'));
    await journal.append({ ...entry(3, 'decision', { legs: [] }), runId: 'other' });
    const p = parts(journal);
    const found = await restoreRun(p);
    expect(found.lastCycle).toBe(3);
    expect(found.lastCompletedCycle).toBe(2);
    expect(found.interrupted?.cycle).toBe(3);
    expect(found.interrupted?.payload).toEqual({ status: 'traded', legs });
    expect(legsOf(found.interrupted as JournalEntry)).toEqual(legs);

    await journal.append(entry(3, 'cycle_completed'));
    const after = await restoreRun(parts(journal));
    expect(after.interrupted).toBeUndefined();
    expect(after.lastCompletedCycle).toBe(3);
  });
});

describe('legsOf', () => {
  it('reads the legs of a decision, none from anything else', () => {
    const decision = (payload: JsonValue): JournalEntry => ({
      ...entry(1, 'decision', payload),
      seq: 1,
    });
    expect(legsOf(decision({ legs: [{ clientOrderId: 'a', symbol: 'A' }] }))).toEqual([
      { clientOrderId: 'a', symbol: 'A' },
    ]);
    expect(legsOf(decision({ status: 'halted' }))).toEqual([]);
    expect(legsOf(decision({ legs: 'none' }))).toEqual([]);
    expect(legsOf(decision(null))).toEqual([]);
    expect(legsOf(decision([1, 2]))).toEqual([]);
  });
});

describe('adoptStoredKillSwitch', () => {
  it('adopts a switch another process changed, and only then', async () => {
    const journal = new RecordingJournal();
    const p = parts(journal);
    await adoptStoredKillSwitch(p.store, p.gate); // nothing stored
    expect(p.gate.tripped).toBe(false);
    const tripped = {
      version: 1,
      tripped: true,
      reason: 'trader kill',
      trippedAt: '2024-03-04T20:00:00.000Z',
      source: 'manual',
    };
    await journal.saveState('live', STATE_KILL, tripped);
    await adoptStoredKillSwitch(p.store, p.gate);
    expect(p.gate.tripped).toBe(true);
    expect(p.gate.killSwitch.reason).toBe('trader kill');
    // This engine releases it by hand; the stored state is unchanged, so it is not adopted again.
    p.gate.release();
    await adoptStoredKillSwitch(p.store, p.gate);
    expect(p.gate.tripped).toBe(false);
    // `trader resume` elsewhere stores a released switch: adopted.
    p.gate.kill('again');
    await journal.saveState('live', STATE_KILL, {
      version: 1,
      tripped: false,
      reason: null,
      trippedAt: null,
      source: null,
    });
    await adoptStoredKillSwitch(p.store, p.gate);
    expect(p.gate.tripped).toBe(false);
  });
});
