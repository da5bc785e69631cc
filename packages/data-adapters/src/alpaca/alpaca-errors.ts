import { BrokerError, type BrokerErrorKind } from '@quantpipe/core';

const VENUE = 'alpaca';

/** What can be read from a failed call, whichever part of the client threw it. */
interface FailureFacts {
  status: number | undefined;
  message: string;
  retryAfterMs: number | undefined;
  /** Node/axios error code such as ECONNRESET or ECONNABORTED. */
  errorCode: string | undefined;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null
    ? (value as Record<string, unknown>)
    : undefined;
}

/** `Retry-After` in seconds or as an HTTP date, in milliseconds from now. */
export function parseRetryAfterMs(header: unknown, nowMs: number = Date.now()): number | undefined {
  if (typeof header !== 'string' && typeof header !== 'number') return undefined;
  const text = String(header).trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

// The market-data half of the client flattens HTTP errors into `code: 429, message: ...`
// (headers, Retry-After included, are lost); the trading half rethrows axios errors as they are.
const DATA_ERROR = /^code: (\d+|undefined), message: ([\s\S]*)$/;

function facts(error: unknown): FailureFacts {
  const e = record(error);
  const response = record(e?.['response']);
  if (response) {
    const data = record(response['data']);
    const headers = record(response['headers']);
    return {
      status: typeof response['status'] === 'number' ? response['status'] : undefined,
      message:
        typeof data?.['message'] === 'string' ? data['message'] : String(e?.['message'] ?? ''),
      retryAfterMs: parseRetryAfterMs(headers?.['retry-after']),
      errorCode: undefined,
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  const m = DATA_ERROR.exec(message);
  if (m) {
    return {
      status: m[1] === 'undefined' ? undefined : Number(m[1]),
      message: m[2] === 'undefined' ? 'no response (connection failed)' : (m[2] as string),
      retryAfterMs: undefined,
      errorCode: undefined,
    };
  }
  return {
    status: undefined,
    message,
    retryAfterMs: undefined,
    errorCode: typeof e?.['code'] === 'string' ? e['code'] : undefined,
  };
}

/** The error kind of an HTTP status (and message, for Alpaca's several 403s). */
export function kindOfStatus(status: number, message: string): BrokerErrorKind {
  if (status === 401) return 'auth';
  if (status === 403) {
    if (/buying power/i.test(message)) return 'insufficient_buying_power';
    if (/insufficient qty|not (allowed|permitted) to short/i.test(message)) return 'bad_request';
    return 'permission';
  }
  if (status === 404) return 'not_found';
  if (status === 408) return 'timeout';
  if (status === 429) return 'rate_limit';
  if (status === 400 || status === 422) return 'bad_request';
  if (status >= 500) return 'server';
  return 'unknown';
}

/**
 * Turns anything the Alpaca client throws into a {@link BrokerError}: HTTP statuses by
 * `kindOfStatus`, `Retry-After` into `retryAfterMs`, and failures without a response
 * (reset, refused, hang-up) into `connection` (`timeout` for ECONNABORTED/ETIMEDOUT). The raw
 * client error is not kept as the cause: it carries the request headers, secrets included.
 */
export function toAlpacaError(error: unknown, operation: string): BrokerError {
  if (error instanceof BrokerError) return error;
  const f = facts(error);
  let kind: BrokerErrorKind;
  if (f.status !== undefined) kind = kindOfStatus(f.status, f.message);
  else if (f.errorCode === 'ECONNABORTED' || f.errorCode === 'ETIMEDOUT') kind = 'timeout';
  else kind = 'connection';
  const where = f.status === undefined ? (f.errorCode ?? 'no response') : `HTTP ${f.status}`;
  return new BrokerError(kind, `alpaca ${operation} failed (${where}): ${f.message}`, {
    venue: VENUE,
    ...(f.status !== undefined ? { status: f.status } : {}),
    ...(f.retryAfterMs !== undefined ? { retryAfterMs: f.retryAfterMs } : {}),
    context: { operation },
  });
}
