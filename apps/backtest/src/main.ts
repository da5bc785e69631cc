import { isQuantpipeError } from '@quantpipe/core';
import { buildProgram } from './cli';
import { executeRun } from './run-command';

/** `backtest` command line. Exit codes: 0 ok, 2 bad configuration, 1 any other failure. */
async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram(async (config) => {
    await executeRun(config);
  });
  try {
    await program.parseAsync([...argv]);
    return 0;
  } catch (error) {
    if (isQuantpipeError(error)) {
      process.stderr.write(`backtest: ${error.message}\n`);
      return error.code === 'E_CONFIG' ? 2 : 1;
    }
    throw error;
  }
}

main(process.argv).then(
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
