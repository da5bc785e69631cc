import { BrokerError, OrderRejectedError, ValidationError } from '@quantpipe/core';
import { BrokerCalls } from './broker-calls';
import { ListLogger, StepClock } from './testing/fakes';

const connection = () => new BrokerError('connection', 'socket hang up');
const timeout = () => new BrokerError('timeout', 'no answer');
const server = () => new BrokerError('server', '503');

function setup() {
  const clock = new StepClock(0);
  const logger = new ListLogger();
  return { clock, logger, calls: new BrokerCalls(clock, 1_000, logger) };
}

/** A call that fails with `errors` in turn, then answers `value`; counts its attempts. */
function flaky<T>(value: T, ...errors: unknown[]) {
  const state = { attempts: 0 };
  const fn = async (): Promise<T> => {
    state.attempts++;
    const error = errors.shift();
    if (error !== undefined) throw error;
    return value;
  };
  return { fn, state };
}

describe('BrokerCalls', () => {
  it('a call that succeeds at once is made once, without waiting or flagging anything', async () => {
    const { calls, clock, logger } = setup();
    const { fn, state } = flaky(42);
    await expect(calls.call('getAccount', fn)).resolves.toBe(42);
    expect(state.attempts).toBe(1);
    expect(clock.sleeps).toEqual([]);
    expect(logger.lines).toEqual([]);
    expect(calls.connectionTrouble).toBe(false);
  });

  it('retries up to 3 attempts with backoff on the engine’s clock, logging each retry', async () => {
    const { calls, clock, logger } = setup();
    const { fn, state } = flaky('ok', server(), server());
    await expect(calls.call('getPositions', fn)).resolves.toBe('ok');
    expect(state.attempts).toBe(3);
    expect(clock.sleeps).toHaveLength(2);
    // Exponential backoff (1 s, 2 s) with up to half of each taken off as jitter.
    expect(clock.sleeps[0]).toBeGreaterThanOrEqual(500);
    expect(clock.sleeps[0]).toBeLessThanOrEqual(1_000);
    expect(clock.sleeps[1]).toBeGreaterThanOrEqual(1_000);
    expect(clock.sleeps[1]).toBeLessThanOrEqual(2_000);
    expect(logger.messages('warn')).toEqual([
      'broker call failed, retrying',
      'broker call failed, retrying',
    ]);
    expect(logger.lines.map((l) => [l.obj['what'], l.obj['attempt'], l.obj['err']])).toEqual([
      ['getPositions', 1, '503'],
      ['getPositions', 2, '503'],
    ]);
    // A server error is not a lost connection.
    expect(calls.connectionTrouble).toBe(false);
  });

  it('gives up after the third attempt with the last error', async () => {
    const { calls } = setup();
    const last = server();
    const { fn, state } = flaky('never', server(), server(), last, server());
    await expect(calls.call('getClock', fn)).rejects.toBe(last);
    expect(state.attempts).toBe(3);
  });

  it('does not retry an error that is final (ours, or a refusal)', async () => {
    const { calls, clock } = setup();
    const refusal = new OrderRejectedError('x', 'no');
    const { fn, state } = flaky('never', refusal);
    await expect(calls.call('submitOrder', fn)).rejects.toBe(refusal);
    expect(state.attempts).toBe(1);
    const bad = flaky('never', new ValidationError('qty', 'bad'));
    await expect(calls.call('x', bad.fn)).rejects.toThrow(ValidationError);
    expect(bad.state.attempts).toBe(1);
    expect(clock.sleeps).toEqual([]);
  });

  it('flags connection trouble after a connection or timeout error that was retried', async () => {
    for (const error of [connection(), timeout()]) {
      const { calls } = setup();
      const { fn } = flaky('ok', error);
      await calls.call('getAccount', fn);
      expect(calls.connectionTrouble).toBe(true);
    }
    const { calls } = setup();
    calls.noteTrouble(new BrokerError('rate_limit', '429'));
    calls.noteTrouble(new Error('plain'));
    expect(calls.connectionTrouble).toBe(false);
    calls.noteTrouble(timeout());
    expect(calls.connectionTrouble).toBe(true);
  });

  it('treats a call that throws instead of rejecting like one that rejects', async () => {
    const { calls } = setup();
    let attempts = 0;
    const fn = (): Promise<string> => {
      attempts++;
      if (attempts === 1) throw connection();
      return Promise.resolve('second');
    };
    await expect(calls.call('getAccount', fn)).resolves.toBe('second');
    expect(attempts).toBe(2);
    expect(calls.connectionTrouble).toBe(true);
  });

  it('hands a submission its attempt number, so a retry can look the order up first', async () => {
    const { calls, clock } = setup();
    const seen: number[] = [];
    const result = await calls.submit(async (attempt) => {
      seen.push(attempt);
      if (attempt < 3) throw timeout();
      return `sent on attempt ${attempt}`;
    });
    expect(result).toBe('sent on attempt 3');
    expect(seen).toEqual([1, 2, 3]);
    expect(clock.sleeps).toHaveLength(2);
    expect(calls.connectionTrouble).toBe(true);
    const refused = new BrokerError('insufficient_buying_power', 'no money');
    const once: number[] = [];
    await expect(
      calls.submit(async (attempt) => {
        once.push(attempt);
        throw refused;
      }),
    ).rejects.toBe(refused);
    expect(once).toEqual([1]);
  });
});
