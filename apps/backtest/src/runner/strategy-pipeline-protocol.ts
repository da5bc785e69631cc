import type { CompositeStrategyConfig, UniverseBarsConfig } from '@quantpipe/execution';
import type { MessagePort } from 'node:worker_threads';
import type { PackedBars } from '../data/packed-bars';
import type { EncodedStrategyOutput } from './strategy-output-codec';

/** What the strategy worker is given for a run (its first message). */
export interface StrategyPipelineInit {
  readonly daily: PackedBars;
  readonly hourly: PackedBars | null;
  readonly universe: UniverseBarsConfig;
  readonly strategy: Partial<CompositeStrategyConfig>;
  /** The worker's end of the channel: the plan comes in on it, decisions go out. */
  readonly port: MessagePort;
  /** One Int32: the number of messages posted so far (the worker notifies on it). */
  readonly posted: SharedArrayBuffer;
}

/** The second message (on the channel): the decision instants, ascending, epoch ms. */
export interface PipelinePlan {
  readonly decisionTimesMs: readonly number[];
}

/** A decision computed ahead, with what the engine's bars must match for it to be used. */
export interface PipelinedOutput {
  readonly kind: 'output';
  readonly decisionMs: number;
  readonly output: EncodedStrategyOutput;
  /** Daily bars held per universe symbol, then the benchmark, when the output was computed. */
  readonly dailyCounts: Int32Array;
  /** Hourly bars held per universe symbol when the hybrid ran, else null. */
  readonly hourlyCounts: Int32Array | null;
}

/** The worker failed; nothing follows. */
export interface PipelineFailure {
  readonly kind: 'error';
  readonly message: string;
}

export type PipelineMessage = PipelinedOutput | PipelineFailure;
