import { pino, type DestinationStream, type Logger as PinoLogger } from 'pino';

/** Paths pino censors wherever they appear in a log object (secrets never reach the log). */
export const REDACTED_PATHS: readonly string[] = [
  'alpaca_api_key',
  'alpaca_api_secret',
  'keyId',
  'secretKey',
  'apiKey',
  'apiSecret',
  'headers["APCA-API-KEY-ID"]',
  'headers["APCA-API-SECRET-KEY"]',
  '*.alpaca_api_key',
  '*.alpaca_api_secret',
  '*.keyId',
  '*.secretKey',
  '*.apiKey',
  '*.apiSecret',
  '*.headers["APCA-API-KEY-ID"]',
  '*.headers["APCA-API-SECRET-KEY"]',
];

/** A structured JSON logger with secret redaction. */
export function createLogger(level: string, destination?: DestinationStream): PinoLogger {
  return pino(
    {
      level,
      base: { app: 'trader' },
      redact: { paths: [...REDACTED_PATHS], censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination ?? pino.destination({ fd: 1, sync: true }),
  );
}
