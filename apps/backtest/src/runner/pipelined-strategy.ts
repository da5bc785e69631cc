import {
  MessageChannel,
  Worker,
  receiveMessageOnPort,
  type MessagePort,
} from 'node:worker_threads';
import { StateError, type Bar } from '@quantpipe/core';
import {
  type BarView,
  type CompositeStrategyConfig,
  type Strategy,
  type StrategyInput,
  type StrategyOutput,
  type UniverseBarsConfig,
} from '@quantpipe/execution';
import { DAILY_SIGNAL_NAMES } from '@quantpipe/signals';
import { packBars, packedBuffers } from '../data/packed-bars';
import { decodeStrategyOutput } from './strategy-output-codec';
import type {
  PipelinePlan,
  PipelineMessage,
  PipelinedOutput,
  StrategyPipelineInit,
} from './strategy-pipeline-protocol';

/** Options of {@link PipelinedStrategy.start}. */
export interface PipelinedStrategyOptions {
  readonly daily: Readonly<Record<string, readonly Bar[]>>;
  readonly hourly?: Readonly<Record<string, readonly Bar[]>> | undefined;
  readonly universe: UniverseBarsConfig;
  readonly strategy: Partial<CompositeStrategyConfig>;
}

/**
 * A started strategy worker thread, idle until {@link PipelinedStrategy.start} gives it a run.
 * Start it early (it loads its modules meanwhile) and stop it with {@link StrategyWorker.stop}
 * if it is never used.
 */
export class StrategyWorker {
  /** Why the thread failed, once it has. */
  failure: string | undefined;
  /** Whether the thread has stopped (failed, finished or terminated). */
  exited = false;
  private readonly exitListeners: (() => void)[] = [];

  private constructor(readonly thread: Worker) {
    // Listened to from the start: the thread may fail while it loads, before any run uses it.
    thread.on('error', (error: Error) => {
      this.failure ??= `strategy worker failed: ${error.message}`;
    });
    thread.on('exit', () => {
      this.exited = true;
      for (const listener of this.exitListeners) listener();
    });
  }

  /** Calls `listener` when the thread stops (at once if it has). */
  whenExited(listener: () => void): void {
    if (this.exited) listener();
    else this.exitListeners.push(listener);
  }

  /**
   * Starts the worker from its entry module (`strategy-worker.ts` from sources,
   * `strategy-worker.js`/`.cjs` from a build). A `.ts` entry is loaded through tsx, with the
   * workspace's source condition.
   */
  static spawn(entry: URL): StrategyWorker {
    if (!entry.pathname.endsWith('.ts')) return new StrategyWorker(new Worker(entry));
    const bootstrap = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); });`;
    // Not the parent's flags: V8 flags (a young-generation size) are refused in a worker.
    const execArgv = ['--conditions=@quantpipe/source'];
    return new StrategyWorker(new Worker(bootstrap, { eval: true, execArgv }));
  }

  async stop(): Promise<void> {
    await this.thread.terminate();
  }
}

/** `Atomics.waitAsync` (Node 16+; typed from ES2024 on). */
const waitAsync = (
  Atomics as unknown as {
    waitAsync(
      array: Int32Array,
      index: number,
      value: number,
    ): { async: false; value: string } | { async: true; value: Promise<string> };
  }
).waitAsync;

function sameCounts(a: Int32Array, b: Int32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function countsOf(view: BarView, symbols: readonly string[]): Int32Array {
  const out = new Int32Array(symbols.length);
  for (let i = 0; i < symbols.length; i++) out[i] = view.bars(symbols[i] as string).length;
  return out;
}

/**
 * The engine's default strategy ({@link CompositeStrategy}) run on a second core, ahead of the
 * engine: a worker thread walks the backtest's decision instants, computing each decision
 * from the bars visible at that instant, while the engine is still trading earlier cycles.
 * `decide` then returns the worker's decision for the engine's instant — after checking that
 * the engine's bars (per symbol, daily and hourly) are exactly the ones the worker decided on.
 * Any difference, or a worker failure, is a StateError: the run stops, it never continues on
 * a decision made from other data. The composite strategy reads neither positions nor equity,
 * which is what makes computing ahead possible; this is not a general strategy wrapper.
 */
export class PipelinedStrategy implements Strategy {
  readonly name = 'composite';
  private readonly posted: Int32Array;
  private received = 0;
  private planned = false;
  private readonly withBenchmark: readonly string[];
  private readonly weightsBySymbol = new Map<string, Readonly<Record<string, number>>>();

  private constructor(
    private readonly worker: StrategyWorker,
    private readonly port: MessagePort,
    posted: SharedArrayBuffer,
    private readonly universe: UniverseBarsConfig,
  ) {
    this.posted = new Int32Array(posted);
    this.withBenchmark = [...universe.symbols, universe.benchmark_symbol];
    // Wake a waiting decide when the thread stops: nothing more will be posted.
    worker.whenExited(() => Atomics.notify(this.posted, 0));
  }

  /**
   * Gives the worker its market (it unpacks it meanwhile); {@link PipelinedStrategy.plan} then
   * starts the decisions.
   */
  static start(worker: StrategyWorker, options: PipelinedStrategyOptions): PipelinedStrategy {
    const channel = new MessageChannel();
    const posted = new SharedArrayBuffer(4);
    const daily = packBars(options.daily);
    const hourly = options.hourly ? packBars(options.hourly) : null;
    const init: StrategyPipelineInit = {
      daily,
      hourly,
      universe: options.universe,
      strategy: options.strategy,
      port: channel.port2,
      posted,
    };
    const transfer = [...packedBuffers(daily), ...(hourly ? packedBuffers(hourly) : [])];
    worker.thread.postMessage(init, [...transfer, channel.port2]);
    return new PipelinedStrategy(worker, channel.port1, posted, options.universe);
  }

  /** Sends the instants the engine will decide at (ascending, epoch ms): the worker starts. */
  plan(decisionTimesMs: readonly number[]): void {
    const plan: PipelinePlan = { decisionTimesMs };
    this.port.postMessage(plan);
    this.planned = true;
  }

  /** The next message, waiting (without blocking the event loop) until the worker posts it. */
  private async next(): Promise<PipelinedOutput> {
    for (;;) {
      const got = receiveMessageOnPort(this.port);
      if (got !== undefined) {
        this.received++;
        const message = got.message as PipelineMessage;
        if (message.kind === 'error') throw new StateError(`strategy worker: ${message.message}`);
        return message;
      }
      if (this.worker.failure !== undefined) throw new StateError(this.worker.failure);
      if (this.worker.exited) throw new StateError('strategy worker stopped before the run ended');
      const seen = this.received;
      if (Atomics.load(this.posted, 0) > seen) continue;
      const wait = waitAsync(this.posted, 0, seen);
      if (wait.async) await wait.value;
    }
  }

  async decide(input: StrategyInput): Promise<StrategyOutput> {
    if (!this.planned) throw new StateError('PipelinedStrategy.decide before plan');
    const nowMs = Date.parse(input.timestamp);
    // Decisions for instants the engine skipped (stale data) are passed over: the worker's
    // state does not depend on which instants were asked, only on the bars fed.
    let ahead = await this.next();
    while (ahead.decisionMs < nowMs) ahead = await this.next();
    const hourlyCounts = input.hourly ? countsOf(input.hourly, this.universe.symbols) : null;
    if (
      ahead.decisionMs !== nowMs ||
      !sameCounts(ahead.dailyCounts, countsOf(input.daily, this.withBenchmark)) ||
      (hourlyCounts === null) !== (ahead.hourlyCounts === null) ||
      (hourlyCounts !== null && !sameCounts(hourlyCounts, ahead.hourlyCounts as Int32Array))
    ) {
      throw new StateError(
        `the strategy worker decided on other bars than the engine holds at ${input.timestamp} (cycle ${input.cycle}); run without the strategy worker`,
        {
          context: { cycle: input.cycle, workerInstant: new Date(ahead.decisionMs).toISOString() },
        },
      );
    }
    return decodeStrategyOutput(
      ahead.output,
      this.universe.symbols,
      DAILY_SIGNAL_NAMES,
      this.weightsBySymbol,
    );
  }

  /** Stops the worker. */
  async close(): Promise<void> {
    this.port.close();
    await this.worker.stop();
  }
}
