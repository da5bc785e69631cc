import type {
  Account,
  AlertSink,
  Broker,
  Clock,
  Journal,
  Logger,
  MarketData,
  Position,
  Strategy,
} from '@quantpipe/core';
import type { CycleReport } from './cycle-report';
import type { CommissionModel } from './sim-account';

/** What the engine runs against. */
export interface EngineDeps {
  readonly broker: Broker;
  readonly marketData: MarketData;
  readonly journal: Journal;
  readonly clock: Clock;
  readonly alerts: AlertSink;
  readonly logger?: Logger;
  /** Identifies the run in the journal and in client order ids (letters, digits, . _ : -). */
  readonly runId: string;
  /**
   * The decision rule: e.g. `CompositeStrategy` from `@quantpipe/strategy` (the spec's
   * pipeline) or {@link TargetWeightsStrategy}.
   */
  readonly strategy: Strategy;
  /** Receives every finished cycle (orders, fills, positions, portfolio) for the database. */
  readonly recorder?: CycleRecorder;
  /**
   * What the venue charges in commission (e.g. IBKR fixed: $0.005 a share, $1 minimum, 1 %
   * maximum; Alpaca: none), for the pre-trade cost estimate and the cost-benefit no-trade band
   * (`expected_edge_bps`). Default: none.
   */
  readonly commission?: CommissionModel;
}

/** What the engine hands to a {@link CycleRecorder} after each cycle. */
export interface CycleRecord {
  readonly report: CycleReport;
  /** Account after the cycle. */
  readonly account: Account;
  /** Positions after the cycle. */
  readonly positions: readonly Position[];
}

/**
 * Port: where finished cycles are recorded besides the journal (e.g. the database's orders,
 * fills, positions, portfolio and signals tables). Called after the cycle is journaled; a
 * failure is logged and raised as a WARNING alert but does not undo the cycle.
 */
export interface CycleRecorder {
  recordCycle(record: CycleRecord): Promise<void>;
}
