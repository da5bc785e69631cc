import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@quantpipe/core';
import { buildProgram, configFromFlags } from './cli';
import { PIPELINE_KEYS, type BacktestConfig } from '@quantpipe/backtest';

async function parse(args: string[]): Promise<BacktestConfig> {
  let got: BacktestConfig | undefined;
  const program = buildProgram(async (config) => {
    got = config;
  });
  program.exitOverride();
  await program.parseAsync(['node', 'backtest', 'run', ...args]);
  if (!got) throw new Error('run was not called');
  return got;
}

describe('backtest CLI', () => {
  it('maps flags onto config keys, pipeline keys included', async () => {
    const c = await parse([
      '--symbols',
      'SYNA,SYNB',
      '--capital',
      '250000',
      '--rebalance',
      'hourly',
      '--sessions',
      '600',
      '--max-position-size',
      '0.1',
      '--health-lookback',
      '21',
      '--no-progress',
    ]);
    expect(c.symbols).toEqual(['SYNA', 'SYNB']);
    expect(c.initial_capital).toBe(250_000);
    expect(c.rebalance).toBe('hourly');
    expect(c.synthetic.sessions).toBe(600);
    expect(c.pipeline.max_position_size).toBe(0.1);
    expect(c.pipeline.health_lookback).toBe(21);
    expect(c.progress).toBe(false);
  });

  it('reads boolean and enum pipeline keys, and documents every pipeline flag', async () => {
    const c = await parse([
      '--position-decay',
      'false',
      '--on-loss-breach',
      'reduce',
      '--reweight-interval-bars',
      '10',
      '--no-progress',
    ]);
    expect(c.pipeline.position_decay).toBe(false);
    expect(c.pipeline.on_loss_breach).toBe('reduce');
    expect(c.pipeline.reweight_interval_bars).toBe(10);
    await expect(configFromFlags({ positionDecay: 'no' })).rejects.toThrow(
      /"pipeline.position_decay"/,
    );
    const help = buildProgram(async () => undefined)
      .commands.find((cmd) => cmd.name() === 'run')
      ?.helpInformation();
    expect(help).toMatch(/--cost-per-hedge <value>\s+Cost of the hedge per period/);
    expect(help).toMatch(/\(default 0\.0002\)/);
  });

  it('reads a config file and lets flags override it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bt-cli-'));
    const file = join(dir, 'bt.json');
    writeFileSync(
      file,
      JSON.stringify({ costs_bps: 7, pipeline: { max_leverage: 2 }, symbols: ['SYNC'] }),
    );
    const c = await parse(['--config', file, '--costs-bps', '3']);
    expect(c.costs_bps).toBe(3);
    expect(c.pipeline.max_leverage).toBe(2);
    expect(c.symbols).toEqual(['SYNC']);
  });

  it('rejects bad flag values and broken files with the key named', async () => {
    await expect(configFromFlags({ capital: 'abc' })).rejects.toThrow(/"initial_capital"/);
    await expect(configFromFlags({ maxAdvPct: '2' })).rejects.toThrow(/"pipeline.max_adv_pct"/);
    // An empty universe is refused, not replaced by the default one.
    await expect(configFromFlags({ symbols: '' })).rejects.toThrow(/--symbols is empty/);
    await expect(configFromFlags({ symbols: ' , ' })).rejects.toBeInstanceOf(ConfigError);
    const dir = mkdtempSync(join(tmpdir(), 'bt-cli-'));
    const file = join(dir, 'broken.json');
    writeFileSync(file, '{ "costs_bps": ');
    await expect(configFromFlags({ config: file })).rejects.toBeInstanceOf(ConfigError);
    writeFileSync(file, JSON.stringify({ costs_bps: 1, colour: 'red' }));
    await expect(configFromFlags({ config: file })).rejects.toThrow(/unknown key "colour"/);
  });

  it('the README lists every pipeline key', () => {
    const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
    for (const key of PIPELINE_KEYS)
      expect([key, readme.includes(`\`${key}\``)]).toEqual([key, true]);
  });
});
