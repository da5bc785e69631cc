import { BrokerError, DataError } from '@quantpipe/core';
import { kindOfStatus, parseRetryAfterMs, toAlpacaError } from './alpaca-errors';

describe('Alpaca error mapping', () => {
  it.each([
    [401, 'request is not authorized', 'auth'],
    [403, 'insufficient buying power', 'insufficient_buying_power'],
    [403, 'insufficient qty available for order (requested: 5, available: 2)', 'bad_request'],
    [403, 'forbidden', 'permission'],
    [404, 'order not found', 'not_found'],
    [408, 'timeout', 'timeout'],
    [422, 'client_order_id must be unique', 'bad_request'],
    [400, 'invalid symbol', 'bad_request'],
    [429, 'rate limit exceeded', 'rate_limit'],
    [500, 'internal', 'server'],
    [503, 'unavailable', 'server'],
    [418, 'teapot', 'unknown'],
  ] as const)('maps HTTP %i "%s" to %s', (status, message, kind) => {
    expect(kindOfStatus(status, message)).toBe(kind);
  });

  it('reads Retry-After in seconds or as an HTTP date', () => {
    expect(parseRetryAfterMs('2')).toBe(2000);
    expect(parseRetryAfterMs('0.5')).toBe(500);
    const now = Date.parse('2024-07-01T12:00:00Z');
    expect(parseRetryAfterMs('Mon, 01 Jul 2024 12:00:03 GMT', now)).toBe(3000);
    expect(parseRetryAfterMs('soon')).toBeUndefined();
    expect(parseRetryAfterMs(undefined)).toBeUndefined();
  });

  it('maps the trading client (axios) errors with status, Retry-After and no secrets', () => {
    const axiosError = Object.assign(new Error('Request failed with status code 429'), {
      config: { headers: { 'APCA-API-SECRET-KEY': 'top-secret' } },
      response: {
        status: 429,
        headers: { 'retry-after': '3' },
        data: { code: 42910000, message: 'rate limit exceeded' },
      },
    });
    const e = toAlpacaError(axiosError, 'get account');
    expect(e).toMatchObject({
      kind: 'rate_limit',
      status: 429,
      retryAfterMs: 3000,
      venue: 'alpaca',
      retryable: true,
    });
    expect(e.cause).toBeUndefined();
    expect(JSON.stringify({ message: e.message, context: e.context })).not.toContain('top-secret');
  });

  it('maps the data client flattened errors and socket failures', () => {
    expect(toAlpacaError(new Error('code: 403, message: forbidden'), 'bars')).toMatchObject({
      kind: 'permission',
      status: 403,
    });
    expect(toAlpacaError(new Error('code: undefined, message: undefined'), 'bars')).toMatchObject({
      kind: 'connection',
      retryable: true,
    });
    expect(
      toAlpacaError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), 'x'),
    ).toMatchObject({ kind: 'connection' });
    expect(
      toAlpacaError(
        Object.assign(new Error('timeout of 1ms exceeded'), { code: 'ECONNABORTED' }),
        'x',
      ),
    ).toMatchObject({ kind: 'timeout' });
    const own = new BrokerError('auth', 'already typed');
    expect(toAlpacaError(own, 'x')).toBe(own);
    expect(new DataError('x')).not.toBeInstanceOf(BrokerError);
  });
});
