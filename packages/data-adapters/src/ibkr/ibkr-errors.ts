import { BrokerError, NotFoundError, type QuantpipeError } from '@quantpipe/core';

/** Codes after which the connection to TWS is gone or unusable. */
export const CONNECTION_ERROR_CODES: ReadonlySet<number> = new Set([
  326, // client id already in use
  502, // could not connect
  504, // not connected
  507, // bad message length (connection reset)
  1100, // connectivity between TWS and IB servers lost
  1300, // socket port reset
]);

/** Informational codes that do not fail a request (farm status, warnings, cancel notices). */
export function isInformationalCode(code: number): boolean {
  return (
    (code >= 2100 && code < 2200) || code === 399 || code === 202 || code === 1101 || code === 1102
  );
}

/** Whether a 162 is the service's "no data in this window" answer rather than pacing. */
export function isNoDataMessage(message: string): boolean {
  return /query returned no data/i.test(message);
}

/**
 * Maps a TWS error code to a typed error:
 * 200 → NotFoundError (unknown contract), 162 → rate_limit (pacing; retryable),
 * 321 → bad_request, 502/504/1100/326 → connection (retryable), 201/203 → permission-style
 * rejections are handled by the broker (OrderRejectedError), anything else → unknown.
 */
export function ibkrError(
  code: number,
  message: string,
  context: Record<string, unknown> = {},
): QuantpipeError {
  const ctx = { ...context, ibCode: code };
  if (code === 200) {
    return new NotFoundError(`ibkr: no security definition (${message})`, { context: ctx });
  }
  if (code === 162 || code === 420) {
    return new BrokerError('rate_limit', `ibkr pacing violation: ${message}`, {
      venue: 'ibkr',
      status: code,
      context: ctx,
    });
  }
  if (code === 321 || code === 320 || code === 322) {
    return new BrokerError('bad_request', `ibkr rejected the request: ${message}`, {
      venue: 'ibkr',
      status: code,
      context: ctx,
    });
  }
  if (CONNECTION_ERROR_CODES.has(code)) {
    return new BrokerError('connection', `ibkr connection: ${message}`, {
      venue: 'ibkr',
      status: code,
      context: ctx,
    });
  }
  if (code === 201 && /buying power/i.test(message)) {
    return new BrokerError('insufficient_buying_power', `ibkr: ${message}`, {
      venue: 'ibkr',
      status: code,
      context: ctx,
    });
  }
  return new BrokerError('unknown', `ibkr error ${code}: ${message}`, {
    venue: 'ibkr',
    status: code,
    context: ctx,
  });
}

/** The error reported when the connection drops while a call is waiting for TWS. */
export function connectionLost(what: string, context: Record<string, unknown> = {}): BrokerError {
  return new BrokerError('connection', `ibkr connection lost during ${what}`, {
    venue: 'ibkr',
    context,
  });
}
