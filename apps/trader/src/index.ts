/**
 * @packageDocumentation
 * The `trader` application's programmatic API: the config schema, the run loop and the admin
 * commands. The command line is `src/main.ts`.
 */
export {
  tradingConfigSchema,
  parseTradingConfig,
  alpacaCredentials,
  publicConfig,
} from './config-schema';
export type { TradingConfig, AlpacaCredentials } from './config-schema';
export { runTrader, loadTradingConfig, engineConfigOf, dryRunIdOf } from './run-trader';
export type { RunTraderOptions, RunTraderResult } from './run-trader';
export {
  killTrader,
  resumeTrader,
  traderStatus,
  initDatabase,
  KILL_SWITCH_STATE_KEY,
} from './admin-commands';
export type { TraderStatus, RunLiveness } from './admin-commands';
export { redactUrl, redactSecrets, REDACTED } from './redact';
export { assertBrokerUrl } from './broker-url';
export { PNL_BASELINE_STATE_KEY } from './run-record';
export { buildCli, runCli } from './cli';
export type { CliIo } from './cli';
export { createLogger, REDACTED_PATHS } from './logger';
export { BrokerClock, OffsetClock } from './broker-clock';
export { DatabaseRecorder } from './db-recorder';
export { connectVenue } from './venues';
export type { BrokerKind, Venue } from './venues';
