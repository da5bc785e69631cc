import { PacingGuard } from './pacing-guard';

describe('PacingGuard', () => {
  it('refuses an identical request inside the window and accepts it after', () => {
    const guard = new PacingGuard({ identicalWindowMs: 15_000 });
    expect(guard.admit('a', 0)).toBeUndefined();
    expect(guard.admit('a', 14_999)).toMatch(/Pacing violation/);
    expect(guard.admit('b', 14_999)).toBeUndefined();
    expect(guard.admit('a', 15_000)).toBeUndefined();
  });

  it('allows at most maxRequests in any window', () => {
    const guard = new PacingGuard({ identicalWindowMs: 0, maxRequests: 3, windowMs: 1000 });
    expect(guard.admit('1', 0)).toBeUndefined();
    expect(guard.admit('2', 10)).toBeUndefined();
    expect(guard.admit('3', 20)).toBeUndefined();
    expect(guard.admit('4', 999)).toMatch(/more than/);
    expect(guard.admit('4', 1000)).toBeUndefined();
  });
});
