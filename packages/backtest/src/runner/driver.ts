import type {
  Alert,
  JournalEntryInput,
  Logger,
  Order,
  PrecomputedStrategy,
  IncrementalStrategy,
  Strategy,
} from '@quantpipe/core';
import type { EngineConfig, SimSlippage } from '@quantpipe/execution';
import type { BacktestConfig } from '../config/backtest-config';
import type { OpenedMarket } from '../data/open-market';
import type { EquityPoint, SignalStateRecord, UniverseChange } from '../result/backtest-result';
import type { DecisionRecords } from '../result/decision-records';
import type { TradeLog } from '../result/trade-log';
import type { AuditSummary } from './accounting-audit';

/** What a backtest driver runs. */
export interface DriverInput {
  readonly config: BacktestConfig;
  readonly opened: OpenedMarket;
  readonly engineConfig: EngineConfig;
  /** A strategy asked every cycle, or one computed for the whole run first (sync driver). */
  readonly strategy: Strategy | PrecomputedStrategy | IncrementalStrategy;
  readonly runId: string;
  readonly logger: Logger;
  readonly onProgress?: (done: number, total: number) => void;
  /** Keep the whole journal and return its entries (tests compare drivers with it). */
  readonly keepJournal?: boolean;
}

/** What a backtest driver produced. */
export interface DriverOutput {
  readonly equity: readonly EquityPoint[];
  readonly trades: TradeLog;
  readonly decisions: DecisionRecords;
  readonly signalStates: readonly SignalStateRecord[];
  /** Every alert the engine delivered, in order. */
  readonly alerts: readonly Alert[];
  readonly audit: AuditSummary;
  /** Every order the venue received and the engine tracked, in order (made when read). */
  readonly orderLog: { readonly orders: readonly Order[] };
  readonly cycles: number;
  readonly hybridCycles: number;
  readonly killSwitchResets: number;
  readonly hedgeActiveSessions: number;
  /** Timeline steps (marks). */
  readonly steps: number;
  /** The symbols that listed or delisted during the run. */
  readonly universeChanges: readonly UniverseChange[];
  /** The run's journal (with `keepJournal`, or always for the synchronous loop). */
  readonly journal?: readonly JournalEntryInput[];
}

/** The simulated venue's slippage of a backtest configuration. */
export function slippageFor(config: BacktestConfig): SimSlippage {
  if (config.slippage === 'none') return { kind: 'none' };
  if (config.slippage === 'fixed') return { kind: 'fixed', bps: config.costs_bps };
  return { kind: 'model' };
}

/** An order log whose orders are made only when first read (by the outputs, after the run). */
export function lazyOrderLog(make: () => readonly Order[]): { readonly orders: readonly Order[] } {
  let orders: readonly Order[] | undefined;
  return {
    get orders(): readonly Order[] {
      orders ??= make();
      return orders;
    },
  };
}
