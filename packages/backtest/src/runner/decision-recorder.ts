import type { BarColumns, StrategyOutput } from '@quantpipe/core';
import type { DecisionCore } from '@quantpipe/execution';
import type { ColumnarMarket } from '../data/columnar-market';
import type { SignalStateRecord } from '../result/backtest-result';
import { DecisionLog } from '../result/decision-log';
import type { DecisionRecords } from '../result/decision-records';
import { TableDecisionLog } from '../result/table-decision-log';
import type { LoopStrategy } from './loop-strategy';
import type { SessionTimeline } from './timeline';

const NO_SIGNALS: Readonly<Record<string, number>> = Object.freeze({});

/** What a {@link DecisionRecorder} reads. */
export interface DecisionRecorderInput {
  readonly strategy: LoopStrategy;
  readonly core: DecisionCore;
  readonly columns: ColumnarMarket;
  readonly timeline: SessionTimeline;
  /** How many decisions the run takes (room is made for all of them up front). */
  readonly decisions: number;
  /** The position in universe symbol `s` now. */
  quantityOf(s: number): number;
}

/**
 * The decision lines of each cycle (symbol, composite, confidence, target, position, price,
 * signals) and its signal state (weights, health, IC), as the run's results report them. A
 * precomputed strategy's lines are rows over its table; any other strategy's are records.
 */
export class DecisionRecorder {
  /** The run's signal states, one per cycle. */
  readonly signalStates: SignalStateRecord[] = [];
  /** Decisions of a strategy asked every cycle (as records). */
  private readonly log: DecisionLog | undefined;
  /** Decisions of a precomputed strategy (rows over its table). */
  private readonly tableLog: TableDecisionLog | undefined;
  /** Per symbol: its plan entry this cycle, or -1. */
  private planEntry = new Int32Array(0);

  constructor(private readonly input: DecisionRecorderInput) {
    const { strategy, timeline, columns, decisions } = input;
    const n = columns.symbols.length;
    // Room for the whole run up front: growing columns copies them, and fresh memory is dear.
    if (strategy.kind === 'table') {
      const table = strategy.table;
      this.tableLog = new TableDecisionLog(
        {
          symbols: table.symbols,
          signalNames: table.signalNames,
          composite: table.composite,
          confidence: table.confidence,
          signals: table.signals,
          ...(table.contributions ? { contributions: table.contributions } : {}),
          // Decision d is taken at step d, sized at that step's close.
          priceUsd: (d, s) =>
            (columns.daily[s] as BarColumns).close[
              timeline.barIndex[d * n + s] as number
            ] as number,
        },
        decisions * n,
      );
    } else this.log = new DecisionLog(decisions * n);
  }

  /** The decision lines recorded so far. */
  get records(): DecisionRecords {
    return (this.tableLog ?? this.log) as DecisionRecords;
  }

  /**
   * Cycle `cycle`'s decision lines (decision `d`, at `timestamp`), with the plan's scaled
   * targets when `scaled`, and its signal state.
   */
  record(
    timestamp: string,
    cycle: number,
    d: number,
    output: StrategyOutput | undefined,
    scaled: boolean,
  ): void {
    const { core, strategy } = this.input;
    const decisions = core.decisions;
    if (scaled) this.indexPlan();
    const table = this.tableLog;
    const log = this.log;
    if (table) table.beginCycle(timestamp, cycle, d);
    else log?.beginCycle(timestamp, cycle);
    for (let i = 0; i < decisions.count; i++) {
      if (core.sizing.usable[i] !== 1) continue;
      const s = decisions.symbol[i] as number;
      let target = core.sizing.targets[i] as number;
      if (scaled) {
        const e = this.planEntry[s] as number;
        if (e >= 0) target = core.plan.scaledTarget(e);
      }
      const current = this.input.quantityOf(s);
      if (table) {
        table.append(s, target, current);
        continue;
      }
      if (strategy.kind === 'incremental') {
        log?.appendRecord(
          core.symbols.name(s),
          strategy.row.composite[s] as number,
          strategy.row.confidence[s] as number,
          target,
          current,
          core.priceOf(s),
          NO_SIGNALS,
        );
        continue;
      }
      const dec = output?.decisions[i];
      log?.appendRecord(
        core.symbols.name(s),
        dec?.composite ?? Number.NaN,
        dec?.confidence ?? 1,
        target,
        current,
        core.priceOf(s),
        dec?.signals ?? {},
      );
    }
    this.signalStates.push(this.signalState(timestamp, cycle, d, output));
  }

  private indexPlan(): void {
    const { core } = this.input;
    const plan = core.plan;
    if (this.planEntry.length < core.symbols.capacity)
      this.planEntry = new Int32Array(core.symbols.capacity);
    this.planEntry.fill(-1);
    for (let e = 0; e < plan.count; e++) this.planEntry[plan.symbol[e] as number] = e;
  }

  private signalState(
    timestamp: string,
    cycle: number,
    d: number,
    output: StrategyOutput | undefined,
  ): SignalStateRecord {
    if (output)
      return { timestamp, cycle, weights: output.weights, health: output.health, ic: output.ic };
    const strategy = this.input.strategy;
    // An incremental strategy reports no signal weights, health or IC.
    if (strategy.kind !== 'table')
      return { timestamp, cycle, weights: NO_SIGNALS, health: NO_SIGNALS, ic: NO_SIGNALS };
    const t = strategy.table;
    const k = t.signalNames.length;
    const weights: Record<string, number> = {};
    const health: Record<string, number> = {};
    const ic: Record<string, number> = {};
    t.signalNames.forEach((name, i) => {
      weights[name] = t.weights[d * k + i] as number;
      const h = t.health[d * k + i] as number;
      if (h === h) health[name] = h;
      const c = t.ic[d * k + i] as number;
      if (c === c) ic[name] = c;
    });
    return { timestamp, cycle, weights, health, ic };
  }
}
