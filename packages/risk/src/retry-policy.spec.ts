import { BrokerError, ValidationError } from '@quantpipe/core';
import { RateLimiter, retry } from './index';

describe('retry (re-exported from core) with the spec 10.2 defaults', () => {
  it('makes 3 attempts, waiting 2**attempt seconds (1 s, 2 s) without jitter when random() = 0', async () => {
    const waits: number[] = [];
    let calls = 0;
    const failing = (): Promise<never> => {
      calls++;
      return Promise.reject(new BrokerError('connection', 'socket hang up'));
    };
    await expect(
      retry(failing, { sleep: async (ms) => void waits.push(ms), random: () => 0 }),
    ).rejects.toThrow('socket hang up');
    expect(calls).toBe(3);
    expect(waits).toEqual([1000, 2000]);
  });

  it('waits at least a rate-limited BrokerError retryAfterMs, and succeeds on a later attempt', async () => {
    const waits: number[] = [];
    let calls = 0;
    const value = await retry(
      async () => {
        calls++;
        if (calls === 1) throw new BrokerError('rate_limit', '429', { retryAfterMs: 7000 });
        return 'ok';
      },
      { sleep: async (ms) => void waits.push(ms), random: () => 0.5 },
    );
    expect(value).toBe('ok');
    expect(waits).toEqual([7000]);
  });

  it('does not retry a non-retryable error, and honours a custom predicate', async () => {
    let calls = 0;
    const bad = (): Promise<never> => {
      calls++;
      return Promise.reject(new ValidationError('qty', 'negative'));
    };
    await expect(retry(bad, { sleep: async () => undefined })).rejects.toThrow(ValidationError);
    expect(calls).toBe(1);
    calls = 0;
    await expect(
      retry(bad, { sleep: async () => undefined, shouldRetry: () => true, maxAttempts: 4 }),
    ).rejects.toThrow();
    expect(calls).toBe(4);
  });
});

describe('RateLimiter (re-exported from core)', () => {
  it('lets maxCalls through per window and then waits for the oldest call to leave it', async () => {
    let now = 0;
    const waits: number[] = [];
    const limiter = new RateLimiter({
      maxCalls: 2,
      windowMs: 1000,
      now: () => now,
      sleep: async (ms) => {
        waits.push(ms);
        now += ms;
      },
    });
    await limiter.acquire();
    await limiter.acquire();
    expect(limiter.waitTimeMs()).toBe(1000);
    await limiter.acquire();
    expect(waits).toEqual([1000]);
  });
});
