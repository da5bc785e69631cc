import { InMemoryMarketData } from '@quantpipe/data-adapters';
import { CompositeStrategy, SimClock, UniverseBars, type BarStore } from '@quantpipe/execution';
import { ClockBoundedMarketData } from '../data/clock-bounded-market-data';
import { DAILY_SIGNAL_NAMES } from '@quantpipe/signals';
import { unpackBars } from '../data/packed-bars';
import { encodeStrategyOutput } from './strategy-output-codec';
import type {
  PipelineMessage,
  PipelinePlan,
  StrategyPipelineInit,
} from './strategy-pipeline-protocol';

function counts(store: BarStore, symbols: readonly string[]): Int32Array {
  const out = new Int32Array(symbols.length);
  for (let i = 0; i < symbols.length; i++) out[i] = store.bars(symbols[i] as string).length;
  return out;
}

/**
 * The worker side of a {@link PipelinedStrategy}: the engine's default strategy fed exactly
 * as the engine feeds it — the same bar stores ({@link UniverseBars}) over a view that ends at
 * a simulated clock, refreshed at each decision instant — posting each decision as soon as it
 * is computed. The market is unpacked while the caller prepares its run; decisions start
 * with the plan (the instants). Nothing here can see a bar after the instant it decides at.
 */
export async function serveStrategyPipeline(init: StrategyPipelineInit): Promise<void> {
  const posted = new Int32Array(init.posted);
  const post = (message: PipelineMessage, transfer: ArrayBuffer[] = []): void => {
    init.port.postMessage(message, transfer);
    Atomics.add(posted, 0, 1);
    Atomics.notify(posted, 0);
  };
  try {
    // Copies of the bars the engine's source validated.
    const source = new InMemoryMarketData(
      {
        daily: unpackBars(init.daily),
        ...(init.hourly ? { hourly: unpackBars(init.hourly) } : {}),
      },
      { validated: true },
    );
    const { decisionTimesMs } = await new Promise<PipelinePlan>((resolve) =>
      init.port.once('message', resolve),
    );
    const clock = new SimClock(decisionTimesMs[0] ?? 0);
    const bars = new UniverseBars(new ClockBoundedMarketData(source, clock), init.universe);
    const strategy = new CompositeStrategy(init.strategy);
    const symbols = init.universe.symbols;
    const withBenchmark = [...symbols, init.universe.benchmark_symbol];
    for (let i = 0; i < decisionTimesMs.length; i++) {
      const decisionMs = decisionTimesMs[i] as number;
      clock.set(decisionMs);
      const { hybrid } = await bars.refresh(decisionMs);
      const output = strategy.decide({
        cycle: i + 1,
        timestamp: new Date(decisionMs).toISOString(),
        symbols,
        benchmarkSymbol: init.universe.benchmark_symbol,
        daily: bars.daily,
        ...(hybrid ? { hourly: bars.hourly } : {}),
        // The composite strategy uses neither; the pipeline is only used with it.
        equityUsd: 0,
        positions: {},
      });
      const encoded = encodeStrategyOutput(output, symbols, DAILY_SIGNAL_NAMES);
      const dailyCounts = counts(bars.daily, withBenchmark);
      const hourlyCounts = hybrid ? counts(bars.hourly, symbols) : null;
      post({ kind: 'output', decisionMs, output: encoded, dailyCounts, hourlyCounts }, [
        encoded.numbers.buffer as ArrayBuffer,
        dailyCounts.buffer as ArrayBuffer,
        ...(hourlyCounts ? [hourlyCounts.buffer as ArrayBuffer] : []),
      ]);
    }
  } catch (error) {
    post({ kind: 'error', message: error instanceof Error ? error.message : String(error) });
  }
}
