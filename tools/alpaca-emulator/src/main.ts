#!/usr/bin/env node
/**
 * CLI of the Alpaca emulator. Prints one JSON line when ready:
 * {"event":"listening","url":"http://127.0.0.1:PORT","port":PORT}
 * and exits cleanly on SIGTERM or SIGINT.
 */
import { EMULATOR_USAGE, parseEmulatorArgs } from './cli-args';
import { startAlpacaEmulator } from './emulator';

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${EMULATOR_USAGE}\n`);
    return;
  }
  let options;
  try {
    options = parseEmulatorArgs(argv);
  } catch (error) {
    process.stderr.write(
      `alpaca-emulator: ${error instanceof Error ? error.message : String(error)}\n${EMULATOR_USAGE}\n`,
    );
    process.exitCode = 2;
    return;
  }
  const emulator = await startAlpacaEmulator(options);
  process.stdout.write(
    `${JSON.stringify({ event: 'listening', url: emulator.url, port: emulator.port })}\n`,
  );
  const stop = (): void => {
    emulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `alpaca-emulator: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
