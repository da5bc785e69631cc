import { BrokerError, NotFoundError } from '@quantpipe/core';
import { ibkrError, isInformationalCode, isNoDataMessage } from './ibkr-errors';

describe('ibkrError', () => {
  it('maps TWS codes to typed errors', () => {
    expect(ibkrError(200, 'No security definition')).toBeInstanceOf(NotFoundError);
    expect(ibkrError(162, 'Pacing violation')).toMatchObject({
      kind: 'rate_limit',
      status: 162,
      retryable: true,
    });
    expect(ibkrError(321, 'durations longer than 365 days')).toMatchObject({
      kind: 'bad_request',
      retryable: false,
    });
    for (const code of [502, 504, 1100, 326]) {
      expect(ibkrError(code, 'gone')).toMatchObject({ kind: 'connection', retryable: true });
    }
    expect(ibkrError(201, 'Order rejected - reason:Insufficient buying power')).toMatchObject({
      kind: 'insufficient_buying_power',
    });
    expect(ibkrError(9999, 'odd')).toBeInstanceOf(BrokerError);
    expect(ibkrError(9999, 'odd')).toMatchObject({ kind: 'unknown', venue: 'ibkr' });
  });

  it('tells notices and empty answers apart from failures', () => {
    expect(isInformationalCode(2104)).toBe(true);
    expect(isInformationalCode(202)).toBe(true);
    expect(isInformationalCode(201)).toBe(false);
    expect(
      isNoDataMessage(
        'Historical Market Data Service error message:HMDS query returned no data: X',
      ),
    ).toBe(true);
    expect(isNoDataMessage('Historical Market Data Service error message:Pacing violation')).toBe(
      false,
    );
  });
});
