import {
  MemoryAlertSink,
  resolveEngineConfig,
  MemoryJournal,
  TradingEngine,
  type CycleReport,
} from '@quantpipe/execution';
import { ConfigError } from '@quantpipe/core';
import type { Strategy, StrategyOutput } from '@quantpipe/core';
import { createSimMarket, type SimMarket } from './testing/sim-market';

/** Emits a scripted composite for SYNA, one value per cycle. */
class ScriptedStrategy implements Strategy {
  readonly name = 'scripted';
  private cycle = 0;
  constructor(private readonly composites: readonly number[]) {}
  decide(): StrategyOutput {
    const composite = this.composites[Math.min(this.cycle++, this.composites.length - 1)] as number;
    return {
      decisions: [{ symbol: 'SYNA', composite, confidence: 1, signals: {} }],
      weights: {},
      health: {},
      ic: {},
      hybrid: false,
    };
  }
  snapshot() {
    return { cycle: this.cycle };
  }
  restore(state: unknown) {
    this.cycle = (state as { cycle: number }).cycle;
  }
}

function engineOn(
  sim: SimMarket,
  journal: MemoryJournal,
  composites: readonly number[],
  config: Record<string, unknown> = {},
) {
  return new TradingEngine(
    { symbols: ['SYNA'], benchmark_symbol: 'SYNMKT', use_hourly: false, ...config },
    {
      broker: sim.broker,
      marketData: sim.marketData,
      journal,
      clock: sim.clock,
      alerts: new MemoryAlertSink(),
      runId: 'decay',
      strategy: new ScriptedStrategy(composites),
    },
  );
}

/** The spec's sizing (5.1) of one symbol with deep liquidity: tanh strength, 1..3x leverage, 20 %. */
function specShares(report: CycleReport, position: number): number {
  const decision = report.decisions[0];
  if (!decision) throw new Error('no decision');
  const strength = Math.tanh(position * 2);
  const leverage = 1 + 2 * Math.abs(strength);
  return Math.trunc(
    (report.equityUsd * (Math.sign(strength) * leverage) * 0.2) / decision.priceUsd,
  );
}

async function runCycles(engine: TradingEngine, sim: SimMarket, n: number): Promise<CycleReport[]> {
  const reports: CycleReport[] = [];
  for (let i = 0; i < n; i++) {
    if (i > 0) sim.goTo(sim.session() + 1);
    reports.push(await engine.runCycle());
  }
  return reports;
}

describe('position decay (spec 5.2) between the composite and the sizing', () => {
  // 0.42 and 0.44 are within the 15 % buffer of 0.40 (the decayed 0.44 included); 0.9 is not.
  const composites = [0.4, 0.42, 0.44, 0.9];

  it('keeps the buffered position for small changes and follows large ones', async () => {
    const sim = createSimMarket();
    const reports = await runCycles(engineOn(sim, new MemoryJournal(), composites), sim, 4);
    expect(reports.map((r) => r.decisions[0]?.composite)).toEqual(composites);
    expect(reports[0]?.decisions[0]?.targetShares).toBe(specShares(reports[0] as CycleReport, 0.4));
    expect(reports[1]?.decisions[0]?.targetShares).toBe(specShares(reports[1] as CycleReport, 0.4));
    expect(reports[2]?.decisions[0]?.targetShares).toBe(specShares(reports[2] as CycleReport, 0.4));
    // Age 2 at the 4th cycle: the raw 0.9 is decayed by 0.5^(2/10) and breaks the buffer.
    expect(reports[3]?.decisions[0]?.targetShares).toBe(
      specShares(reports[3] as CycleReport, 0.9 * 0.5 ** 0.2),
    );
  });

  it('sizes the raw composite when switched off', async () => {
    const sim = createSimMarket();
    const reports = await runCycles(
      engineOn(sim, new MemoryJournal(), composites, { position_decay: false }),
      sim,
      2,
    );
    expect(reports[1]?.decisions[0]?.targetShares).toBe(
      specShares(reports[1] as CycleReport, 0.42),
    );
  });

  it('resumes its state from the journal after a restart', async () => {
    const sim = createSimMarket();
    const journal = new MemoryJournal();
    await runCycles(engineOn(sim, journal, composites), sim, 2);
    // A new process on the same journal: the position 0.4 with age 1 is restored, so 0.44 is
    // still inside the buffer (a fresh state would size 0.44 itself).
    sim.goTo(sim.session() + 1);
    const restarted = engineOn(sim, journal, composites);
    const report = await restarted.runCycle();
    expect(report.decisions[0]?.composite).toBe(0.44);
    expect(report.decisions[0]?.targetShares).toBe(specShares(report, 0.4));
  });

  it('saves its state as columns and also resumes from the earlier per-symbol form', async () => {
    const sim = createSimMarket();
    const journal = new MemoryJournal();
    await runCycles(engineOn(sim, journal, composites), sim, 2);
    const saved = (await journal.loadState('decay', 'position_decay')) as {
      symbols: string[];
      currentPosition: number[];
      positionAge: number[];
    };
    expect(saved.symbols).toEqual(['SYNA']);
    expect(saved.currentPosition).toEqual([0.4]);
    // The same state in the per-symbol form a journal may still hold.
    await journal.saveState('decay', 'position_decay', {
      SYNA: { currentPosition: 0.4, positionAge: saved.positionAge[0] as number },
    });
    sim.goTo(sim.session() + 1);
    const report = await engineOn(sim, journal, composites).runCycle();
    expect(report.decisions[0]?.targetShares).toBe(specShares(report, 0.4));
  });

  it('validates its settings', () => {
    expect(() => resolveEngineConfig({ symbols: ['SYNA'], decay_halflife: 0 })).toThrow(
      ConfigError,
    );
    expect(() => resolveEngineConfig({ symbols: ['SYNA'], buffer_zone: 1 })).toThrow(/buffer_zone/);
    expect(() =>
      resolveEngineConfig({ symbols: ['SYNA'], position_decay: 'yes' as unknown as boolean }),
    ).toThrow(/position_decay/);
  });
});
