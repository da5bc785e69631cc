/**
 * The logging surface quantpipe libraries use. pino's logger satisfies it, so do
 * `console`-backed adapters; libraries never create a logger themselves.
 */
export interface Logger {
  debug(obj: object | string, msg?: string): void;
  info(obj: object | string, msg?: string): void;
  warn(obj: object | string, msg?: string): void;
  error(obj: object | string, msg?: string): void;
  /**
   * Optional (pino has it): whether a level is logged. Callers may skip building per-item log
   * records on hot paths when it says no.
   */
  isLevelEnabled?(level: 'debug' | 'info' | 'warn' | 'error'): boolean;
}

/** A logger that drops everything: the default when none is given. */
export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  isLevelEnabled: () => false,
};
