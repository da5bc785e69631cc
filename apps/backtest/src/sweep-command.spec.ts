import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runMain } from './run-main';

function io() {
  const out = { text: '', isTTY: false, write: (t: string) => (out.text += t) };
  const err = { text: '', write: (t: string) => (err.text += t) };
  return { out, err, streams: { stdout: out, stderr: err } };
}

describe('backtest sweep', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'bt-sweep-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('runs a grid on the local pool, prints the best configuration and writes the outputs', async () => {
    const spec = join(dir, 'sweep.json');
    writeFileSync(
      spec,
      JSON.stringify({
        name: 'cli-grid',
        base: { symbols: ['SYNA', 'SYNB'], synthetic: { sessions: 300, hourly: false } },
        grid: { momentum_fast: [10, 20], max_leverage: [1, 2] },
        pbo_partitions: 4,
      }),
    );
    const { out, err, streams } = io();
    const argv = ['node', 'backtest', 'sweep', '--spec', spec, '--out', dir, '--threads', '2'];
    expect(await runMain(argv, streams)).toBe(0);
    expect(err.text).toBe('');
    expect(out.text).toContain('sweep cli-grid: 4 jobs done, 0 failed (0 from an earlier run)');
    expect(out.text).toMatch(/best by .*"pipeline\.momentum_fast":(10|20)/);
    expect(out.text).toContain('deflated Sharpe ratio:');
    expect(out.text).toContain('probability of backtest overfitting:');
    const csv = readFileSync(join(dir, 'cli-grid', 'sweep.csv'), 'utf8')
      .trim()
      .split('\n');
    expect(csv).toHaveLength(1 + 4);
    expect(existsSync(join(dir, 'cli-grid', 'report.html'))).toBe(true);
    // Run again with --resume: every job is recorded, none runs again.
    const again = io();
    expect(await runMain([...argv, '--resume'], again.streams)).toBe(0);
    expect(again.out.text).toContain('4 jobs done, 0 failed (4 from an earlier run)');
  }, 240_000);

  it('exits 2 naming the key of a bad sweep file', async () => {
    const spec = join(dir, 'bad.json');
    writeFileSync(spec, JSON.stringify({ grid: { momentum_fast: [] } }));
    const { err, streams } = io();
    expect(await runMain(['node', 'backtest', 'sweep', '--spec', spec], streams)).toBe(2);
    expect(err.text).toContain('momentum_fast');
  });

  it('exits 2 on a queue URL that is not redis://', async () => {
    const spec = join(dir, 'ok.json');
    writeFileSync(spec, JSON.stringify({ grid: { momentum_fast: [10] } }));
    const { err, streams } = io();
    const argv = ['node', 'backtest', 'sweep', '--spec', spec, '--queue', 'http://x', '--out', dir];
    expect(await runMain(argv, streams)).toBe(2);
    expect(err.text).toContain('redis://');
  });
});
