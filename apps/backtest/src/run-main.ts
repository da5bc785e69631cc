import { isQuantpipeError } from '@quantpipe/core';
import { buildProgram } from './cli';
import { executeRun, type CommandOutput } from './run-command';
import { executeSweep, executeWorker } from './sweep-command';

/**
 * Runs the `backtest` command line and returns the exit code: 0 ok, 2 bad configuration, 1 any
 * other quantpipe error (data, storage, …). Other errors propagate.
 */
export async function runMain(
  argv: readonly string[],
  io: { readonly stdout: CommandOutput; readonly stderr: { write(text: string): unknown } } = {
    stdout: process.stdout,
    stderr: process.stderr,
  },
): Promise<number> {
  const program = buildProgram(
    async (config) => {
      await executeRun(config, io.stdout);
    },
    {
      sweep: async (options) => {
        // Ctrl-C stops the sweep cleanly (a second one exits at once).
        const stop = new AbortController();
        const onSigint = (): void => {
          if (stop.signal.aborted) process.exit(130);
          io.stderr.write('backtest: stopping the sweep (Ctrl-C again to exit now)\n');
          stop.abort();
        };
        process.on('SIGINT', onSigint);
        try {
          const result = await executeSweep(options, io.stdout, stop.signal);
          if (result.interrupted && !options.queue) process.exitCode = 130;
        } finally {
          process.removeListener('SIGINT', onSigint);
        }
      },
      worker: (options) => executeWorker(options, io.stdout),
    },
  );
  try {
    await program.parseAsync([...argv]);
    return 0;
  } catch (error) {
    if (isQuantpipeError(error)) {
      io.stderr.write(`backtest: ${error.message}\n`);
      return error.code === 'E_CONFIG' ? 2 : 1;
    }
    throw error;
  }
}
