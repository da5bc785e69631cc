import type { Logger } from '@quantpipe/core';
import type { CycleReport } from '@quantpipe/execution';
import { pino, type DestinationStream, type Logger as PinoLogger } from 'pino';
import { PinoPretty } from 'pino-pretty';
import type { CycleSummary } from './cycle-summary';
import { REDACTED_PATHS } from './logger';

/** `json`: one JSON object a line (machines); `pretty`: coloured text for people. */
export type LogFormat = 'json' | 'pretty';

/** Options of {@link createTraderLogger}. */
export interface TraderLoggerOptions {
  readonly level: string;
  readonly format: LogFormat;
  /** Default: stdout. */
  readonly destination?: DestinationStream | NodeJS.WritableStream;
  /** Colours in pretty mode; default: when the destination is a terminal. */
  readonly colorize?: boolean;
}

/**
 * The trader's logger: pino with secret redaction, as JSON or through pino-pretty (written
 * synchronously, so nothing is lost when the process exits).
 */
export function createTraderLogger(options: TraderLoggerOptions): PinoLogger {
  const pinoOptions = {
    level: options.level,
    base: { app: 'trader' },
    redact: { paths: [...REDACTED_PATHS], censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  if (options.format === 'json') {
    return pino(
      pinoOptions,
      (options.destination as DestinationStream | undefined) ??
        pino.destination({ fd: 1, sync: true }),
    );
  }
  const pretty = PinoPretty({
    sync: true,
    colorize: options.colorize ?? (options.destination === undefined && process.stdout.isTTY),
    translateTime: 'SYS:yyyy-mm-dd HH:MM:ss',
    ignore: 'pid,hostname,app',
    singleLine: true,
    ...(options.destination ? { destination: options.destination } : { destination: 1 }),
  });
  return pino(pinoOptions, pretty);
}

/**
 * Engine messages that the cycle summary line replaces in pretty mode (per-symbol lines and
 * the cycle's intermediate steps): logged at `debug` there.
 */
const SUMMARISED_MESSAGES = new Set([
  'estimated cost',
  'total estimated cost',
  'decision journaled',
  'trade inside the no-trade band: position kept',
  'order sent',
  'would send order',
]);

/** An alert's log record (`{ alert }`): its message already says everything in pretty mode. */
function isAlertRecord(obj: object | string): boolean {
  return typeof obj === 'object' && Object.keys(obj).length === 1 && 'alert' in obj;
}

/**
 * The engine's (and the alert manager's) logger. In pretty mode the lines the summary replaces
 * go to `debug`, so `info` shows one line a cycle, and alerts are logged as their text. JSON
 * mode keeps every line as the engine logs it.
 */
export function engineLoggerFor(logger: Logger, format: LogFormat): Logger {
  if (format === 'json') return logger;
  const pass =
    (level: 'info' | 'warn' | 'error') =>
    (obj: object | string, msg?: string): void => {
      if (msg !== undefined && isAlertRecord(obj)) logger[level](msg);
      else logger[level](obj, msg);
    };
  return {
    debug: (obj, msg) => logger.debug(obj, msg),
    info: (obj, msg) => {
      if (msg !== undefined && SUMMARISED_MESSAGES.has(msg)) logger.debug(obj, msg);
      else pass('info')(obj, msg);
    },
    warn: pass('warn'),
    error: pass('error'),
    isLevelEnabled: (level) => logger.isLevelEnabled?.(level) ?? true,
  };
}

/**
 * Logs a line of the trader's own: in JSON mode its fields under a stable message (what log
 * processors and tests match on), in pretty mode a sentence for people.
 */
export function note(
  logger: Logger,
  format: LogFormat,
  fields: object,
  message: string,
  prettyMessage: string = message,
): void {
  if (format === 'pretty') logger.info(prettyMessage);
  else logger.info(fields, message);
}

/**
 * Logs a cycle summary: in pretty mode the line is the message (and `debug` adds a line per
 * symbol); in JSON mode the message stays `cycle finished` (what log processors match on)
 * with the report's headline figures, the summary's fields and the line.
 */
export function logCycleSummary(
  logger: Logger,
  summary: CycleSummary,
  format: LogFormat,
  report: CycleReport,
  extra: Readonly<Record<string, unknown>> = {},
): void {
  const debug = logger.isLevelEnabled?.('debug') ?? false;
  if (format === 'pretty') {
    logger.info(summary.line);
    if (debug) for (const line of summary.details) logger.debug(line);
    return;
  }
  logger.info(
    {
      cycle: report.cycle,
      status: report.status,
      reason: report.reason,
      orders: report.orders.length,
      planned: report.plannedOrders.length,
      estimatedCostUsd: report.estimatedCostUsd,
      equityUsd: report.equityAfterUsd,
      leverage: report.leverageAfter,
      hybrid: report.hybrid,
      ...extra,
      summary: summary.fields,
      line: summary.line,
    },
    'cycle finished',
  );
  if (debug) logger.debug({ cycle: report.cycle, symbols: summary.details }, 'cycle detail');
}
