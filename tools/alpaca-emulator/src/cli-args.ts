import { parseArgs } from 'node:util';
import type { AlpacaEmulatorOptions } from './emulator';
import { parseFaultSpec } from './faults';

/** The parsed command line of the emulator CLI. */
export type EmulatorCliArgs = AlpacaEmulatorOptions;

export const EMULATOR_USAGE = `alpaca-emulator [options]
  --port <n>             TCP port, 0 = a free one (default 0)
  --host 127.0.0.1       the only host allowed
  --data <dir>           serve bars from <SYMBOL>_1d.csv / <SYMBOL>_1h.csv files
  --synthetic            serve the synthetic market (default)
  --sessions <n>         synthetic: number of sessions (default 2520)
  --start-date <date>    synthetic: first session (default 2015-01-02)
  --seed <n>             synthetic: PRNG seed
  --market-symbol <sym>  synthetic: the market index symbol (default SPY)
  --key <id>             expected APCA-API-KEY-ID (default emulator-key)
  --secret <secret>      expected APCA-API-SECRET-KEY (default emulator-secret)
  --clock <iso|wall>     freeze the clock at an instant, or follow the wall clock
  --cash <usd>           starting cash (default 100000)
  --slippage-bps <n>     market order slippage (default 5)
  --fill-mode <mode>     immediate | market_hours | manual (default immediate)
  --fault <spec>         kind[:count[:pathPrefix]], repeatable (e.g. rate_limit:3:/v2/stocks)
  --rate-limit <n>       enforce n requests a minute
  --state-file <file>    keep account, orders and fills across restarts`;

function int(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new RangeError(`--${name} must be a number, got ${value}`);
  return n;
}

/** Parses the emulator's command line into {@link AlpacaEmulatorOptions}. Throws RangeError on bad input. */
export function parseEmulatorArgs(argv: readonly string[]): EmulatorCliArgs {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      data: { type: 'string' },
      synthetic: { type: 'boolean' },
      sessions: { type: 'string' },
      'start-date': { type: 'string' },
      seed: { type: 'string' },
      'market-symbol': { type: 'string' },
      key: { type: 'string' },
      secret: { type: 'string' },
      clock: { type: 'string' },
      cash: { type: 'string' },
      'slippage-bps': { type: 'string' },
      'fill-mode': { type: 'string' },
      fault: { type: 'string', multiple: true },
      'rate-limit': { type: 'string' },
      'state-file': { type: 'string' },
    },
  });
  if (values.host !== undefined && values.host !== '127.0.0.1')
    throw new RangeError('--host must be 127.0.0.1');
  if (values.data !== undefined && values.synthetic)
    throw new RangeError('use either --data or --synthetic');
  const fillMode = values['fill-mode'];
  if (fillMode !== undefined && !['immediate', 'market_hours', 'manual'].includes(fillMode)) {
    throw new RangeError(`--fill-mode must be immediate, market_hours or manual, got ${fillMode}`);
  }
  if (
    values.clock !== undefined &&
    values.clock !== 'wall' &&
    Number.isNaN(Date.parse(values.clock))
  ) {
    throw new RangeError(`--clock must be an ISO instant or "wall", got ${values.clock}`);
  }
  const sessions = int('sessions', values.sessions);
  const seed = int('seed', values.seed);
  const port = int('port', values.port);
  const cash = int('cash', values.cash);
  const slippage = int('slippage-bps', values['slippage-bps']);
  const rateLimit = int('rate-limit', values['rate-limit']);
  return {
    ...(port !== undefined ? { port } : {}),
    ...(values.key !== undefined ? { keyId: values.key } : {}),
    ...(values.secret !== undefined ? { secretKey: values.secret } : {}),
    bars:
      values.data !== undefined
        ? { kind: 'csv', directory: values.data }
        : {
            kind: 'synthetic',
            options: {
              marketSymbol: values['market-symbol'] ?? 'SPY',
              ...(sessions !== undefined ? { sessions } : {}),
              ...(seed !== undefined ? { seed } : {}),
              ...(values['start-date'] !== undefined ? { startDate: values['start-date'] } : {}),
            },
          },
    ...(values.clock !== undefined ? { clock: values.clock } : {}),
    ...(cash !== undefined ? { initialCashUsd: cash } : {}),
    ...(slippage !== undefined ? { slippageBps: slippage } : {}),
    ...(fillMode !== undefined
      ? { fillMode: fillMode as 'immediate' | 'market_hours' | 'manual' }
      : {}),
    ...(values.fault !== undefined ? { faults: values.fault.map(parseFaultSpec) } : {}),
    ...(rateLimit !== undefined ? { rateLimitPerMinute: rateLimit } : {}),
    ...(values['state-file'] !== undefined ? { stateFile: values['state-file'] } : {}),
  };
}
