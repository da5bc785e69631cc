import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runEngineWithSimBroker } from './engine-with-sim-broker';

describe('README example: the engine with the simulated broker', () => {
  it('rebalances five sessions to the fixed equity fractions, paying per-share commissions', async () => {
    const out = await runEngineWithSimBroker();
    expect(out.cycles).toEqual([
      '2024-01-15 traded: 2 fills',
      '2024-01-16 traded: 2 fills',
      '2024-01-17 traded: 2 fills',
      '2024-01-18 traded: 2 fills',
      '2024-01-19 traded: 1 fills',
    ]);
    expect(out.positions).toEqual(['ACME 475', 'BOLT -422']);
    // Targets are trunc(equity × weight / close): each book is within one share of its fraction.
    const acmeClose = 100 + 0.4 * 14 + Math.sin(14) * 0.5;
    const boltClose = 50 - 0.2 * 14 + Math.sin(14) * 0.5;
    expect(Math.abs(475 * acmeClose - 0.5 * out.equityUsd)).toBeLessThan(acmeClose * 2);
    expect(Math.abs(-422 * boltClose + 0.2 * out.equityUsd)).toBeLessThan(boltClose * 2);
    // Nine orders, each at the $1 minimum or above.
    expect(out.feesUsd).toBeGreaterThanOrEqual(9);
    expect(out.feesUsd).toBeCloseTo(10.45, 2);
    expect(out.equityUsd).toBeCloseTo(100845.42, 2);
    expect(out.alerts).toEqual(Array(5).fill('INFO REBALANCE COMPLETED'));
  });

  it('the README shows this file verbatim (with the package import a user writes)', () => {
    const code = readFileSync(join(__dirname, 'engine-with-sim-broker.ts'), 'utf8').replace(
      "from '../index';",
      "from '@quantpipe/execution';",
    );
    const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
    expect(code).toContain("from '@quantpipe/execution';");
    expect(readme).toContain('```ts\n' + code + '```');
  });

  it('the example imports nothing from quantpipe but core and execution', () => {
    const code = readFileSync(join(__dirname, 'engine-with-sim-broker.ts'), 'utf8');
    const imports = [...code.matchAll(/from '([^']+)'/g)].map((m) => m[1]);
    expect(imports).toEqual(['@quantpipe/core', '../index']);
  });
});
