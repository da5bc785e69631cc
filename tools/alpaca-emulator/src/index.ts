/**
 * @packageDocumentation
 * A loopback emulator of the Alpaca REST API (trading and market data v2) for tests and dry runs.
 */
export { startAlpacaEmulator } from './emulator';
export type {
  AlpacaEmulator,
  AlpacaEmulatorOptions,
  EmulatorBarSource,
  EmulatorStats,
} from './emulator';
export { EmulatorClock } from './emulator-clock';
export { FaultPlan, parseFaultSpec, validateFaultRule } from './faults';
export type { FaultKind, FaultRule } from './faults';
export type { FillMode } from './brokerage';
export { parseEmulatorArgs } from './cli-args';
export type { EmulatorCliArgs } from './cli-args';
