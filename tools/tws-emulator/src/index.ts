/**
 * @packageDocumentation
 * A loopback emulator of the IB TWS API socket protocol, for tests and dry runs.
 */
export { startTwsEmulator } from './tws-emulator';
export type {
  EmulatorState,
  OrderFaultMode,
  RunningTwsEmulator,
  TwsEmulatorFaults,
  TwsEmulatorOptions,
} from './tws-emulator';
export { SERVER_VERSION } from './protocol';
export { csvBarStore, syntheticBarStore } from './bar-store';
export type { BarStore } from './bar-store';
export type { PacingOptions } from './pacing-guard';
