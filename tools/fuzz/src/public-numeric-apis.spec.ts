/**
 * Fuzz test of the public numeric APIs (signals, weighting, sizing, risk, core validators, CSV
 * parsing): every target of src/targets.ts is called with its fixed-seed inputs — NaN,
 * ±Infinity, huge and tiny numbers, empty arrays, values of the wrong type — in a child
 * process. Each call must throw a QuantpipeError or return finite numbers (NaN where the API
 * documents it), within 2 s; a call that never returns is killed and fails its target.
 */
import { CALL_BOUND_MS, type TargetResult } from './fuzz-config';
import { runFuzz } from './run-fuzz';
import { TARGETS } from './targets';

const NAMES = TARGETS.map((t) => t.name);

describe('fuzz: public numeric APIs (fixed seed)', () => {
  let results: Map<string, TargetResult>;
  beforeAll(async () => {
    results = await runFuzz(NAMES);
  }, 600_000);

  it.each(NAMES)('%s: a typed error or finite output, every call within the bound', (name) => {
    const r = results.get(name);
    expect(r).toBeDefined();
    const result = r as TargetResult;
    expect(result.failures).toEqual([]);
    expect(result.failureCount).toBe(0);
    expect(result.maxCallMs).toBeLessThanOrEqual(CALL_BOUND_MS);
    // The accepting path is exercised too: not every call is refused.
    expect(result.calls - result.typedErrors).toBeGreaterThan(0);
  });

  it('made every call it planned', () => {
    const calls = [...results.values()].reduce((sum, r) => sum + r.calls, 0);
    const typed = [...results.values()].reduce((sum, r) => sum + r.typedErrors, 0);
    console.log(`fuzz: ${NAMES.length} targets, ${calls} calls, ${typed} typed errors`);
    expect(results.size).toBe(NAMES.length);
    expect(calls).toBeGreaterThan(5000);
  });
});
