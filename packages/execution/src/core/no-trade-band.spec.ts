import {
  BAND_COST_BENEFIT,
  BAND_NONE,
  BAND_NOTIONAL,
  SKIP_BAND_COST_BENEFIT,
  SKIP_BAND_NOTIONAL,
  bandKindOf,
  bandReason,
  expectedEdgeUsd,
  signalStrength,
} from './no-trade-band';

describe('the no-trade band', () => {
  it('signal strength is the sizing’s tanh(2 x composite) x confidence; 0 when not finite', () => {
    expect(signalStrength(0.5, 0.8)).toBeCloseTo(Math.tanh(1) * 0.8, 15);
    expect(signalStrength(-3, 1)).toBeCloseTo(-Math.tanh(6), 15);
    expect(signalStrength(Number.NaN, 1)).toBe(0);
  });

  it('expected edge = |delta| x price x |strength| x bps / 10 000, whichever way the trade goes', () => {
    expect(expectedEdgeUsd(200, 50, 0.5, 40)).toBeCloseTo(200 * 50 * 0.5 * 0.004, 12);
    expect(expectedEdgeUsd(-200, 50, -0.5, 40)).toBe(expectedEdgeUsd(200, 50, 0.5, 40));
    expect(expectedEdgeUsd(200, 50, 0.5, 0)).toBe(0);
  });

  it('skips a trade whose expected edge does not exceed its cost; trades one whose edge does', () => {
    // 1 share at $140, strength 0.8, 50 bps: edge $0.56 against $1.00 commission + $0.07.
    const small = expectedEdgeUsd(1, 140, 0.8, 50);
    expect(small).toBeCloseTo(0.56, 12);
    expect(bandKindOf(101, 100, 140, 0, 50, small, 1.07)).toBe(BAND_COST_BENEFIT);
    // 100 shares: edge $56 against $1.00 + $7.40 of slippage.
    const large = expectedEdgeUsd(100, 140, 0.8, 50);
    expect(bandKindOf(200, 100, 140, 0, 50, large, 8.4)).toBe(BAND_NONE);
    // Edge equal to the cost is not a benefit.
    expect(bandKindOf(101, 100, 140, 0, 50, 1, 1)).toBe(BAND_COST_BENEFIT);
  });

  it('an exit to zero and a trade of nothing always go; 0 bps turns the band off', () => {
    expect(bandKindOf(0, 1, 14, 1e6, 50, 0, 1)).toBe(BAND_NONE);
    expect(bandKindOf(5, 5, 14, 1e6, 50, 0, 1)).toBe(BAND_NONE);
    expect(bandKindOf(101, 100, 14, 0, 0, 0, 1)).toBe(BAND_NONE);
  });

  it('the notional band comes first, with its own reason', () => {
    expect(bandKindOf(105, 100, 50, 500, 50, 1e9, 0)).toBe(BAND_NOTIONAL);
    expect(bandReason(BAND_NOTIONAL)).toBe(SKIP_BAND_NOTIONAL);
    expect(bandReason(BAND_COST_BENEFIT)).toBe(SKIP_BAND_COST_BENEFIT);
    expect(bandReason(BAND_NONE)).toBe('');
  });
});
