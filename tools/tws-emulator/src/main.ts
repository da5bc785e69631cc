#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { startTwsEmulator, type OrderFaultMode, type TwsEmulatorFaults } from './tws-emulator';

const USAGE = `tws-emulator [options]
  --port <n>                   TCP port (0 = random, default 7497)
  --host 127.0.0.1             only loopback is supported
  --data <dir>                 serve <SYMBOL>_1d.csv / <SYMBOL>_1h.csv from a folder
  --synthetic                  serve the synthetic market (default)
  --seed <n>                   synthetic: PRNG seed
  --sessions <n>               synthetic: number of sessions (default 2520)
  --start-date <date>          synthetic: first session (default 2015-01-02)
  --market-symbol <sym>        synthetic: the market index symbol (default SPY)
  --clock <iso|wall>           freeze "now" at an instant, or follow the wall clock (default)
  --account <id>               account id (default DU1234567)
  --cash <usd>                 starting cash (default 1000000)
  --leverage <x>               buying power multiple of net liquidation (default 1)
  --fill-mode immediate|manual fill market orders on receipt (default) or on POST /fill
  --pacing-identical-ms <ms>   identical historical request window (default 15000)
  --pacing-window-ms <ms>      historical request counting window (default 600000)
  --pacing-max-requests <n>    requests allowed per window (default 60)
  --fault-order <mode>         order-lost | before-fill | after-fill
  --fault-order-count <n>      how many orders the fault hits (default 1)
  --fault-historical-drop <n>  drop the connection on the next n historical requests
  --control-port <n>           start the HTTP control channel (0 = random)
`;

function intOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0)
    throw new Error(`--${name}: expected a number >= 0, got ${value}`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      data: { type: 'string' },
      synthetic: { type: 'boolean' },
      seed: { type: 'string' },
      sessions: { type: 'string' },
      'start-date': { type: 'string' },
      'market-symbol': { type: 'string' },
      clock: { type: 'string' },
      account: { type: 'string' },
      cash: { type: 'string' },
      leverage: { type: 'string' },
      'fill-mode': { type: 'string' },
      'pacing-identical-ms': { type: 'string' },
      'pacing-window-ms': { type: 'string' },
      'pacing-max-requests': { type: 'string' },
      'fault-order': { type: 'string' },
      'fault-order-count': { type: 'string' },
      'fault-historical-drop': { type: 'string' },
      'control-port': { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  if (values.host !== undefined && values.host !== '127.0.0.1') {
    throw new Error('--host: only 127.0.0.1 is supported');
  }
  if (values.data !== undefined && values.synthetic)
    throw new Error('--data and --synthetic exclude each other');
  const fillMode = values['fill-mode'] ?? 'immediate';
  if (fillMode !== 'immediate' && fillMode !== 'manual')
    throw new Error('--fill-mode: immediate or manual');
  const faultMode = values['fault-order'];
  if (faultMode !== undefined && !['order-lost', 'before-fill', 'after-fill'].includes(faultMode)) {
    throw new Error('--fault-order: order-lost, before-fill or after-fill');
  }
  const faults: TwsEmulatorFaults = {
    orderDrop:
      faultMode === undefined
        ? undefined
        : {
            mode: faultMode as OrderFaultMode,
            count: intOption('fault-order-count', values['fault-order-count']) ?? 1,
          },
    historicalDrop:
      values['fault-historical-drop'] === undefined
        ? undefined
        : { count: intOption('fault-historical-drop', values['fault-historical-drop']) ?? 1 },
  };
  const seed = intOption('seed', values.seed);
  const sessions = intOption('sessions', values.sessions);
  const synthetic = {
    marketSymbol: values['market-symbol'] ?? 'SPY',
    ...(seed !== undefined ? { seed } : {}),
    ...(sessions !== undefined ? { sessions } : {}),
    ...(values['start-date'] !== undefined ? { startDate: values['start-date'] } : {}),
  };
  let now: (() => number) | undefined;
  if (values.clock !== undefined && values.clock !== 'wall') {
    const frozenMs = Date.parse(values.clock);
    if (Number.isNaN(frozenMs))
      throw new Error(`--clock: an ISO instant or "wall", got ${values.clock}`);
    now = () => frozenMs;
  }
  const emulator = await startTwsEmulator({
    port: intOption('port', values.port) ?? 7497,
    ...(values.data !== undefined ? { dataDir: values.data } : {}),
    synthetic,
    ...(now !== undefined ? { now } : {}),
    ...(values.account !== undefined ? { accountId: values.account } : {}),
    ...(values.cash !== undefined ? { cashUsd: intOption('cash', values.cash) as number } : {}),
    ...(values.leverage !== undefined
      ? { leverage: intOption('leverage', values.leverage) as number }
      : {}),
    fillMode,
    pacing: {
      ...(values['pacing-identical-ms'] !== undefined
        ? {
            identicalWindowMs: intOption(
              'pacing-identical-ms',
              values['pacing-identical-ms'],
            ) as number,
          }
        : {}),
      ...(values['pacing-window-ms'] !== undefined
        ? { windowMs: intOption('pacing-window-ms', values['pacing-window-ms']) as number }
        : {}),
      ...(values['pacing-max-requests'] !== undefined
        ? { maxRequests: intOption('pacing-max-requests', values['pacing-max-requests']) as number }
        : {}),
    },
    faults,
    ...(values['control-port'] !== undefined
      ? { controlPort: intOption('control-port', values['control-port']) as number }
      : {}),
    log: (line) => process.stderr.write(`${line}\n`),
  });
  const ready: Record<string, unknown> = {
    event: 'listening',
    host: emulator.host,
    port: emulator.port,
  };
  if (emulator.controlPort !== undefined) ready['controlPort'] = emulator.controlPort;
  const stop = (): void => {
    void emulator.close().then(() => process.exit(0));
  };
  // Handlers first: a parent may signal as soon as it reads the line.
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  process.stdout.write(`${JSON.stringify(ready)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`tws-emulator: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
