import fc from 'fast-check';
import { ConfigError, ValidationError } from '@quantpipe/core';
import golden from './__fixtures__/golden-sizing.json';
import {
  computeTargetPositions,
  computeTargetShares,
  type SizingEntry,
  type SymbolSizingTrace,
} from './index';

type GoldenTrace = Record<string, number | boolean>;

function expectClose(actual: number, expected: number, what: string): void {
  const ok = Math.abs(actual - expected) <= 1e-9 + 1e-7 * Math.abs(expected);
  if (!ok) throw new Error(`${what}: ${actual} != ${expected}`);
}

/** Compares our trace with the seed's trace (snake_case keys). */
function expectTrace(ours: SymbolSizingTrace, seed: GoldenTrace, what: string): void {
  const floats: [keyof SymbolSizingTrace, string][] = [
    ['signalStrength', 'signal_strength'],
    ['confidence', 'confidence'],
    ['adjustedStrength', 'adjusted_strength'],
    ['leverage', 'leverage'],
    ['signedLeverage', 'signed_leverage'],
    ['targetNotionalUsd', 'target_notional'],
  ];
  for (const [k, s] of floats) expectClose(ours[k] as number, seed[s] as number, `${what}.${s}`);
  expect(ours.rawShares).toBe(seed['raw_shares']);
  expect(ours.maxSharesLiquidity).toBe(seed['max_shares_liquidity']);
  expect(ours.maxSharesPortfolio).toBe(seed['max_shares_portfolio']);
  expect(ours.maxShares).toBe(seed['max_shares']);
  expect(ours.sharesBeforeScale).toBe(seed['final_shares_before_scale']);
  expect(ours.liquidityBinding).toBe(seed['liquidity_binding']);
}

describe('computeTargetPositions against the seed reference', () => {
  it('matches all 129 single-symbol cases exactly (shares) and within tolerance (trace)', () => {
    const cases = golden.target_positions.single_symbol;
    expect(cases).toHaveLength(129);
    for (const [i, c] of cases.entries()) {
      const r = computeTargetPositions(
        [
          {
            symbol: 'X',
            compositeSignal: c.composite_signal,
            price: c.price,
            adv20: c.adv_20,
            confidence: c.confidence,
          },
        ],
        c.equity,
      );
      expect(r.targets['X']).toBe(c.final_shares);
      const t = r.trace.symbols['X'];
      if (t === undefined) throw new Error('missing trace');
      expectTrace(t, c.trace, `case ${i}`);
      expectClose(
        r.trace.portfolio.totalExposureUsd,
        c.portfolio.total_exposure,
        `case ${i} exposure`,
      );
      expectClose(
        r.trace.portfolio.targetLeverage,
        c.portfolio.target_leverage,
        `case ${i} leverage`,
      );
      expect(r.trace.portfolio.scaled).toBe(c.portfolio.scaled);
    }
  });

  const portfolioCases = [
    ...golden.target_positions.real_data.map((c, i) => ({ name: `real_data[${i}]`, c })),
    ...golden.target_positions.leverage_cap.map((c, i) => ({ name: `leverage_cap[${i}]`, c })),
  ];
  it.each(portfolioCases)('matches the multi-symbol case $name', ({ c }) => {
    const entries: SizingEntry[] = Object.entries(c.inputs).map(([symbol, v]) => ({
      symbol,
      compositeSignal: v.composite_signal,
      price: v.price,
      adv20: v.adv_20,
      confidence: v.confidence,
    }));
    const r = computeTargetPositions(entries, c.equity);
    expect(r.targets).toEqual(c.targets);
    const trace = c.trace as unknown as Record<string, GoldenTrace>;
    for (const e of entries) {
      const ours = r.trace.symbols[e.symbol];
      const seed = trace[e.symbol];
      if (ours === undefined || seed === undefined) throw new Error(`missing trace ${e.symbol}`);
      expectTrace(ours, seed, e.symbol);
    }
    const p = trace['__portfolio__'] as GoldenTrace;
    expectClose(r.trace.portfolio.totalExposureUsd, p['total_exposure'] as number, 'exposure');
    expectClose(r.trace.portfolio.targetLeverage, p['target_leverage'] as number, 'leverage');
    expect(r.trace.portfolio.scaled).toBe(p['scaled']);
    if (p['scaled'] === true) {
      expectClose(r.trace.portfolio.scaleFactor ?? NaN, p['scale_factor'] as number, 'scale');
      for (const e of entries) expect(r.trace.symbols[e.symbol]?.binding).toBe('leverage');
    }
    expect(r.trace.portfolio.repairShares).toBe(0);
  });
});

describe('computeTargetPositions trace', () => {
  it('names the liquidity cap when it binds', () => {
    const r = computeTargetPositions(
      [{ symbol: 'A', compositeSignal: 1, price: 10, adv20: 1000 }],
      1e6,
    );
    expect(r.targets['A']).toBe(100);
    expect(r.trace.symbols['A']?.binding).toBe('liquidity');
    expect(r.trace.symbols['A']?.liquidityBinding).toBe(true);
  });
  it('names the per-position cap when it binds (confidence above 1)', () => {
    // Leverage only exceeds max_leverage when |strength * confidence| > 1.
    const r = computeTargetPositions(
      [{ symbol: 'A', compositeSignal: 5, price: 10, adv20: 1e12, confidence: 1.3 }],
      1e6,
    );
    const t = r.trace.symbols['A'];
    expect(t?.rawShares).toBeGreaterThan(60000);
    expect(t?.maxSharesPortfolio).toBe(60000);
    expect(r.targets['A']).toBe(60000);
    expect(t?.clippedBy).toBe('position');
    expect(t?.binding).toBe('position');
  });
  it('reports no binding for a zero signal and gives +0 shares', () => {
    const r = computeTargetPositions(
      [{ symbol: 'A', compositeSignal: 0, price: 10, adv20: 1000 }],
      1e6,
    );
    expect(Object.is(r.targets['A'], 0)).toBe(true);
    expect(r.trace.symbols['A']?.binding).toBe('none');
  });
  it('does not mutate its inputs', () => {
    const entries = Object.freeze([
      Object.freeze({ symbol: 'A', compositeSignal: 1.5, price: 10, adv20: 1e9 }),
    ]);
    expect(() => computeTargetPositions(entries, 1e6)).not.toThrow();
  });
});

describe('computeTargetPositions invariants (property tests)', () => {
  const entryArb = fc.record({
    compositeSignal: fc.double({ min: -5, max: 5, noNaN: true }),
    price: fc.double({ min: 0.5, max: 5000, noNaN: true }),
    adv20: fc.double({ min: 0, max: 1e8, noNaN: true }),
    confidence: fc.double({ min: 0, max: 1.3, noNaN: true }),
  });
  const portfolioArb = fc.record({
    entries: fc.array(entryArb, { minLength: 1, maxLength: 12 }),
    equityUsd: fc.double({ min: 1e3, max: 1e9, noNaN: true }),
    maxLeverage: fc.double({ min: 1, max: 6, noNaN: true }),
    maxAdvPct: fc.double({ min: 0.01, max: 0.5, noNaN: true }),
  });

  it('never exceeds the liquidity cap or the leverage limit, and never flips a sign', () => {
    fc.assert(
      fc.property(portfolioArb, ({ entries, equityUsd, maxLeverage, maxAdvPct }) => {
        const named = entries.map((e, i) => ({ ...e, symbol: `S${i}` }));
        const config = { max_leverage: maxLeverage, max_adv_pct: maxAdvPct };
        const r = computeTargetPositions(named, equityUsd, config);
        let gross = 0;
        for (const e of named) {
          const shares = r.targets[e.symbol] ?? NaN;
          const t = r.trace.symbols[e.symbol];
          expect(Number.isSafeInteger(shares)).toBe(true);
          expect(Math.abs(shares)).toBeLessThanOrEqual(Math.trunc(e.adv20 * maxAdvPct));
          // Scaling and clipping never flip the sign of the raw target.
          expect(shares * (t?.rawShares ?? 0)).toBeGreaterThanOrEqual(0);
          expect(Math.abs(shares)).toBeLessThanOrEqual(Math.abs(t?.sharesBeforeScale ?? 0));
          if (shares !== 0) expect(Math.sign(shares)).toBe(Math.sign(e.compositeSignal));
          gross += Math.abs(shares * e.price);
        }
        expect(gross / equityUsd).toBeLessThanOrEqual(maxLeverage);
      }),
      { numRuns: 500 },
    );
  });

  it('computeTargetShares gives exactly the targets of computeTargetPositions', () => {
    fc.assert(
      fc.property(portfolioArb, ({ entries, equityUsd, maxLeverage, maxAdvPct }) => {
        const named = entries.map((e, i) => ({ ...e, symbol: `S${i}` }));
        const config = { max_leverage: maxLeverage, max_adv_pct: maxAdvPct };
        expect(computeTargetShares(named, equityUsd, config)).toEqual(
          computeTargetPositions(named, equityUsd, config).targets,
        );
      }),
      { numRuns: 500 },
    );
    expect(() =>
      computeTargetShares([{ symbol: 'A', compositeSignal: 1, price: 0, adv20: 1 }], 1e6),
    ).toThrow(ValidationError);
  });
});

describe('computeTargetPositions bad input', () => {
  const ok = { symbol: 'A', compositeSignal: 0.5, price: 10, adv20: 1000 };
  it.each([
    ['equityUsd', [ok], 0],
    ['equityUsd', [ok], -5],
    ['equityUsd', [ok], NaN],
    ['price', [{ ...ok, price: 0 }], 1e6],
    ['price', [{ ...ok, price: -1 }], 1e6],
    ['compositeSignal', [{ ...ok, compositeSignal: NaN }], 1e6],
    ['adv20', [{ ...ok, adv20: -1 }], 1e6],
    ['confidence', [{ ...ok, confidence: NaN }], 1e6],
    ['symbol', [ok, ok], 1e6],
  ] as const)('rejects a bad %s', (name, entries, equity) => {
    let caught: unknown;
    try {
      computeTargetPositions(entries, equity);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(ValidationError);
    expect((caught as ValidationError).argument).toContain(name);
  });
  it('rejects a bad config value naming its key', () => {
    expect(() => computeTargetPositions([ok], 1e6, { max_leverage: 0.5 })).toThrow(ConfigError);
    expect(() => computeTargetPositions([ok], 1e6, { max_adv_pct: NaN })).toThrow(/max_adv_pct/);
  });
});
