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

/** Engine messages logged once per symbol and cycle: details for `debug` in pretty mode. */
const PER_SYMBOL_MESSAGES = new Set(['estimated cost']);

/**
 * The engine's logger in pretty mode: the per-symbol lines go to `debug`, so `info` shows one
 * summary a cycle. JSON mode keeps every line as the engine logs it.
 */
export function engineLoggerFor(logger: Logger, format: LogFormat): Logger {
  if (format === 'json') return logger;
  return {
    debug: (obj, msg) => logger.debug(obj, msg),
    info: (obj, msg) =>
      msg !== undefined && PER_SYMBOL_MESSAGES.has(msg)
        ? logger.debug(obj, msg)
        : logger.info(obj, msg),
    warn: (obj, msg) => logger.warn(obj, msg),
    error: (obj, msg) => logger.error(obj, msg),
    isLevelEnabled: (level) => logger.isLevelEnabled?.(level) ?? true,
  };
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
      summary: summary.fields,
      line: summary.line,
    },
    'cycle finished',
  );
  if (debug) logger.debug({ cycle: report.cycle, symbols: summary.details }, 'cycle detail');
}
