import { runMain } from './run-main';

// The strategy worker's module sits beside this one: runner/strategy-worker.ts in the sources,
// strategy-worker.js / .cjs in the build.
const self = import.meta.url;
const strategyWorkerEntry = self.endsWith('.ts')
  ? new URL('./runner/strategy-worker.ts', self)
  : new URL(`./strategy-worker${self.slice(self.lastIndexOf('.'))}`, self);

runMain(process.argv, undefined, { strategyWorkerEntry }).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `backtest: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
  },
);
