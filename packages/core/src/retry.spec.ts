import { BrokerError, ValidationError } from './errors';
import { RateLimiter, retry } from './retry';

describe('retry', () => {
  it('backs off exponentially with jitter and returns the first success', async () => {
    const delays: number[] = [];
    let calls = 0;
    const result = await retry(
      async () => {
        calls++;
        if (calls < 3) throw new BrokerError('server', '503');
        return 'ok';
      },
      {
        maxAttempts: 5,
        baseDelayMs: 100,
        jitter: 0.5,
        random: () => 1,
        sleep: async (ms) => void delays.push(ms),
      },
    );
    expect(result).toBe('ok');
    expect(calls).toBe(3);
    // random() = 1 takes the full jitter: delay = backoff * (1 - 0.5).
    expect(delays).toEqual([50, 100]);
  });

  it('honours Retry-After and gives up after maxAttempts with the last error', async () => {
    const delays: number[] = [];
    const err = new BrokerError('rate_limit', '429', { retryAfterMs: 5000 });
    await expect(
      retry(async () => Promise.reject(err), {
        maxAttempts: 3,
        baseDelayMs: 10,
        sleep: async (ms) => void delays.push(ms),
      }),
    ).rejects.toBe(err);
    expect(delays).toEqual([5000, 5000]);
  });

  it('does not retry final errors', async () => {
    let calls = 0;
    await expect(
      retry(
        async () => {
          calls++;
          throw new ValidationError('symbol', 'unknown');
        },
        { sleep: async () => undefined },
      ),
    ).rejects.toBeInstanceOf(ValidationError);
    expect(calls).toBe(1);
    await expect(
      retry(async () => Promise.reject(new BrokerError('auth', '401')), {
        sleep: async () => undefined,
      }),
    ).rejects.toThrow('401');
  });
});

describe('RateLimiter', () => {
  it('never lets more than maxCalls through in any window', async () => {
    let now = 0;
    const limiter = new RateLimiter({
      maxCalls: 3,
      windowMs: 1000,
      now: () => now,
      sleep: async (ms) => void (now += ms),
    });
    const stamps: number[] = [];
    for (let i = 0; i < 10; i++) {
      await limiter.acquire();
      stamps.push(now);
    }
    expect(stamps).toEqual([0, 0, 0, 1000, 1000, 1000, 2000, 2000, 2000, 3000]);
    for (let i = 3; i < stamps.length; i++)
      expect((stamps[i] as number) - (stamps[i - 3] as number)).toBeGreaterThanOrEqual(1000);
  });
});
