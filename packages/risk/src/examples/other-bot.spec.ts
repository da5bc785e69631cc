import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runOtherBot } from './other-bot';

describe('README example: another bot using RiskMonitor and KillSwitch', () => {
  it('buys, then on an 18 % drawdown trips the kill switch, refuses new buys, flattens, stays tripped after restart', () => {
    const out = runOtherBot();
    expect(out.sent).toEqual(['buy 500 ACME', 'sell 500 ACME']);
    expect(out.blocked).toHaveLength(2);
    expect(out.blocked[0]).toMatch(/^buy 100 ACME: kill switch tripped: MAX DRAWDOWN BREACHED/);
    expect(out.blocked[1]).toMatch(/^buy 1 ACME after restart: kill switch tripped/);
    expect(out.alerts).toEqual(['CRITICAL MAX DRAWDOWN BREACHED']);
    expect(out.killSwitchReason).toBe('MAX DRAWDOWN BREACHED: Drawdown: -18.00% (limit -15.00%)');
    expect(out.trippedAfterRestart).toBe(true);
  });

  it('the README shows this file verbatim (with the package import a user writes)', () => {
    const code = readFileSync(join(__dirname, 'other-bot.ts'), 'utf8').replace(
      "from '../index';",
      "from '@quantpipe/risk';",
    );
    const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
    expect(code).toContain("from '@quantpipe/risk';");
    expect(readme).toContain('```ts\n' + code + '```');
  });

  it('the example imports nothing from quantpipe but core and risk', () => {
    const code = readFileSync(join(__dirname, 'other-bot.ts'), 'utf8');
    const imports = [...code.matchAll(/from '([^']+)'/g)].map((m) => m[1]);
    expect(imports).toEqual(['@quantpipe/core', '../index']);
  });
});
