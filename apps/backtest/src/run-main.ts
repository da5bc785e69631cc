import { isQuantpipeError } from '@quantpipe/core';
import { buildProgram } from './cli';
import { executeRun, type CommandOutput } from './run-command';

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
  const program = buildProgram(async (config) => {
    await executeRun(config, io.stdout);
  });
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
