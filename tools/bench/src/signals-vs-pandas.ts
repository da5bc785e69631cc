/**
 * The signals benchmark against the spec's pandas code, on one generated universe in the same
 * run (`npm run bench:signals -- --vs-pandas`): the five daily signals, and rolling validation
 * (window 252) + health score (lookback 63) of the five signals, each timed 5 times per side,
 * alternating (after one warm-up run each), on one thread. Signals and validation write into
 * one reused set of outputs (`computeDailySignals`' and `rollingValidation`'s `out`), as a caller
 * going through symbols one after the other does; the figures with new arrays per call are
 * printed beside them. It also times a
 * memory-bound floor — one pass that reads a kernel's inputs and writes one output of the same
 * size, reused — so the figures say how far they are from that limit, and the streaming path
 * (the five signals and their five validation states, one bar at a time, once the compiler has
 * optimised it; the first, cold pass is printed too). Wall-time medians decide the targets;
 * CPU-time medians are printed beside them, since a loaded machine stretches wall time.
 */
import {
  computeDailySignals,
  DAILY_SIGNAL_NAMES,
  DailySignalsStream,
  healthScore,
  pctChange,
  rollingValidation,
  ValidationState,
  type DailySignals,
} from '@quantpipe/signals';
import { measure } from './harness';
import type { SyntheticUniverse } from './signals-data';
import { PandasRunner, pythonProblem } from './signals-python';

const RUNS = 5;

/** Median of a sample. */
function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/** Seconds of one call of `fn`. */
function seconds(fn: () => unknown): number {
  return timed(fn).seconds;
}

/** Wall and CPU seconds of one call of `fn`. */
function timed(fn: () => unknown): { seconds: number; cpuSeconds: number } {
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  fn();
  const cpu = process.cpuUsage(c0);
  return {
    seconds: Number(process.hrtime.bigint() - t0) / 1e9,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
  };
}

/** One pass reading `a` and `b` and writing `out` (the floor). */
function floorPass(a: Float64Array, b: Float64Array, out: Float64Array): Float64Array {
  for (let i = 0; i < a.length; i++) out[i] = (a[i] as number) + (b[i] as number);
  return out;
}

const fmt = (s: number): string => s.toFixed(3);

/** Runs the comparison and prints it; resolves to false when a target is missed. */
export async function benchVsPandas(universe: SyntheticUniverse): Promise<boolean> {
  const problem = pythonProblem();
  if (problem !== undefined) {
    console.error(`--vs-pandas: ${problem}`);
    process.exitCode = 1;
    return false;
  }
  const { dates, closes, marketClose } = universe;
  const symbols = closes.length;
  const bars = dates.length;
  const marketReturns = pctChange(marketClose);
  const returns = closes.map((c) => pctChange(c));
  const signals: DailySignals[] = closes.map((close) =>
    computeDailySignals({ close, dates, marketReturns }),
  );
  let checksum = 0;
  // symbol after symbol, each read before the next: one set of outputs serves them all
  const signalsOut = Object.fromEntries(
    DAILY_SIGNAL_NAMES.map((name) => [name, new Float64Array(bars)]),
  ) as DailySignals;
  const signalsOf = (fresh: boolean) => (): void => {
    for (const close of closes) {
      const input = { close, dates, marketReturns };
      const sig = fresh ? computeDailySignals(input) : computeDailySignals(input, {}, signalsOut);
      checksum += sig.Carry[bars - 1] as number;
    }
  };
  const tsSignals = signalsOf(false);
  const tsSignalsFresh = signalsOf(true);
  // every series is validated and scored before the next: one set of outputs serves them all
  const out = {
    ic: new Float64Array(bars),
    hitRate: new Float64Array(bars),
    turnoverAdjustedIc: new Float64Array(bars),
  };
  const validationOf = (fresh: boolean) => (): void => {
    for (let s = 0; s < symbols; s++) {
      for (const name of DAILY_SIGNAL_NAMES) {
        const signal = (signals[s] as DailySignals)[name];
        const v = rollingValidation(signal, returns[s] as Float64Array, fresh ? {} : { out });
        checksum += healthScore(v, { lookback: 63 }).score;
      }
    }
  };
  const tsValidation = validationOf(false);
  const tsValidationFresh = validationOf(true);
  const pandas = await PandasRunner.start(universe);
  console.log(`vs pandas: ${symbols} symbols x ${bars} sessions, ${pandas.versions}, one thread`);
  // `also`: a variant of ours timed right after it in every round (median of its runs)
  const compare = async (kind: 'signals' | 'validation', ts: () => void, also?: () => void) => {
    seconds(ts);
    if (also) seconds(also);
    await pandas.run(kind);
    const ours: number[] = [];
    const theirs: number[] = [];
    const oursCpu: number[] = [];
    const theirsCpu: number[] = [];
    const variant: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      const t = timed(ts);
      ours.push(t.seconds);
      oursCpu.push(t.cpuSeconds);
      if (also) variant.push(seconds(also));
      const p = await pandas.run(kind);
      theirs.push(p.seconds);
      theirsCpu.push(p.cpuSeconds);
    }
    return {
      ours: median(ours),
      theirs: median(theirs),
      oursCpu: median(oursCpu),
      theirsCpu: median(theirsCpu),
      variant: also ? median(variant) : NaN,
    };
  };
  const daily = await compare('signals', tsSignals, tsSignalsFresh);
  const validation = await compare('validation', tsValidation, tsValidationFresh);
  await pandas.stop();

  // the memory-bound floors: per bar (signals read close and market), per signal-bar
  const floorOut = new Float64Array(bars);
  const floorBars = median(
    Array.from({ length: RUNS }, () =>
      seconds(() => closes.forEach((c) => floorPass(c, marketReturns, floorOut))),
    ),
  );
  const floorSignals = median(
    Array.from({ length: RUNS }, () =>
      seconds(() =>
        signals.forEach((sig, s) => {
          for (const name of DAILY_SIGNAL_NAMES) {
            floorPass(sig[name], returns[s] as Float64Array, floorOut);
          }
        }),
      ),
    ),
  );
  const signalBars = symbols * bars * DAILY_SIGNAL_NAMES.length;
  const report = (
    label: string,
    r: { ours: number; theirs: number; oursCpu: number; theirsCpu: number },
    floor: number,
    floorCount: number,
    target: number,
  ): boolean => {
    const ratio = r.theirs / r.ours;
    const perSignalBar = (r.ours * 1e9) / signalBars;
    const floorNs = (floor * 1e9) / floorCount;
    console.log(
      `${label}: pandas median ${fmt(r.theirs)} s, quantpipe median ${fmt(r.ours)} s -> ` +
        `${ratio.toFixed(1)}x (target >= ${target}x) ${ratio >= target ? 'OK' : 'MISSED'}; ` +
        `${perSignalBar.toFixed(1)} ns per signal-bar, memory-bound floor ${floorNs.toFixed(1)} ns ` +
        `(${(perSignalBar / floorNs).toFixed(1)}x the floor); CPU time: pandas ${fmt(r.theirsCpu)} s, ` +
        `quantpipe ${fmt(r.oursCpu)} s -> ${(r.theirsCpu / r.oursCpu).toFixed(1)}x`,
    );
    return ratio >= target;
  };
  const signalsOk = report('five daily signals', daily, floorBars, symbols * bars, 25);
  console.log(
    `  (outputs reused across symbols; with five new arrays per call: quantpipe median ` +
      `${fmt(daily.variant)} s -> ${(daily.theirs / daily.variant).toFixed(1)}x)`,
  );
  const validationOk = report(
    'validation + health, five signals',
    validation,
    floorSignals,
    signalBars,
    20,
  );
  console.log(
    `  (outputs reused across series; with three new arrays per call: quantpipe median ` +
      `${fmt(validation.variant)} s -> ${(validation.theirs / validation.variant).toFixed(1)}x)`,
  );

  // streaming: the five signals and their validation states, one bar at a time
  const close0 = closes[0] as Float64Array;
  const returns0 = returns[0] as Float64Array;
  const streamPass = (): void => {
    const daily = new DailySignalsStream();
    const states = DAILY_SIGNAL_NAMES.map(() => new ValidationState(252));
    // each date's signals pair with the next bar's return
    const previous = new Float64Array(DAILY_SIGNAL_NAMES.length);
    for (let t = 0; t < bars; t++) {
      const v = daily.update({
        date: dates[t] as string,
        close: close0[t] as number,
        marketReturn: marketReturns[t],
      });
      if (t > 0) {
        const ret = returns0[t] as number;
        for (let i = 0; i < states.length; i++) {
          (states[i] as ValidationState).step(previous[i] as number, ret);
        }
      }
      previous[0] = v.Volatility;
      previous[1] = v.Momentum;
      previous[2] = v.TailRisk;
      previous[3] = v.Beta;
      previous[4] = v.Carry;
    }
    checksum += (states[0] as ValidationState).ic;
  };
  // A live stream runs for months: its cost per bar is that of optimised code. The first
  // passes also pay for compiling it (printed apart); ten passes warm it up.
  const coldUs = (seconds(streamPass) * 1e6) / bars;
  const stream = measure(streamPass, { warmupRuns: 10, runs: RUNS });
  const usPerBar = (stream.medianMs * 1000) / bars;
  const streamOk = usPerBar <= 1;
  console.log(
    `streaming, five signals + their five validation states, one symbol: median ` +
      `${usPerBar.toFixed(3)} us per bar once optimised (target <= 1 us) ` +
      `${streamOk ? 'OK' : 'MISSED'}; first, cold pass ${coldUs.toFixed(3)} us per bar`,
  );
  console.log(`(medians of ${RUNS} runs each; checksum ${checksum.toFixed(6)})`);
  return signalsOk && validationOk && streamOk;
}
