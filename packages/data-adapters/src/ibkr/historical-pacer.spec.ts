import { HistoricalPacer } from './historical-pacer';

function fakeClock(): { now: () => number; sleep: (ms: number) => Promise<void>; slept: number[] } {
  let t = 0;
  const slept: number[] = [];
  return {
    now: () => t,
    sleep: (ms) => {
      slept.push(ms);
      t += ms;
      return Promise.resolve();
    },
    slept,
  };
}

describe('HistoricalPacer', () => {
  it('delays an identical request until the identical window has passed', async () => {
    const clock = fakeClock();
    const pacer = new HistoricalPacer({ identicalWindowMs: 16_000, ...clock });
    await pacer.acquire('SPY|1 Y');
    await pacer.acquire('AAPL|1 Y');
    expect(clock.now()).toBe(0);
    await pacer.acquire('SPY|1 Y');
    expect(clock.now()).toBe(16_000);
  });

  it('keeps at most maxRequests in any window', async () => {
    const clock = fakeClock();
    const pacer = new HistoricalPacer({
      identicalWindowMs: 0,
      maxRequests: 60,
      windowMs: 600_000,
      ...clock,
    });
    for (let i = 0; i < 61; i++) await pacer.acquire(`k${i}`);
    expect(clock.now()).toBe(600_000);
  });
});
