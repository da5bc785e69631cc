import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runMain } from './run-main';

function io() {
  const out = { text: '', isTTY: false, write: (t: string) => (out.text += t) };
  const err = { text: '', write: (t: string) => (err.text += t) };
  return { out, err, streams: { stdout: out, stderr: err } };
}

describe('runMain', () => {
  it('exits 2 and names the key on a bad flag value', async () => {
    const { err, streams } = io();
    expect(await runMain(['node', 'backtest', 'run', '--max-leverage', '-1'], streams)).toBe(2);
    expect(err.text).toContain('"pipeline.max_leverage"');
  });

  it('exits 1 on a data problem (unknown symbol)', async () => {
    const { err, streams } = io();
    const out = mkdtempSync(join(tmpdir(), 'bt-main-'));
    expect(
      await runMain(['node', 'backtest', 'run', '--symbols', 'NOPE', '--out', out], streams),
    ).toBe(1);
    expect(err.text).toContain('NOPE is not in the synthetic market');
  });
});
