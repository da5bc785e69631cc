import { configErrorFromIssues, configKeyOf, describeConfigIssues } from './config-issues';
import { ConfigError } from './errors';

describe('config issues', () => {
  it('names keys by path: dots for nesting, brackets for indices', () => {
    expect(configKeyOf(['pipeline', 'max_leverage'])).toBe('pipeline.max_leverage');
    expect(configKeyOf(['symbols', 2])).toBe('symbols[2]');
    expect(configKeyOf([])).toBe('');
  });

  it('lists one entry per unknown key and shows the offending value', () => {
    expect(
      describeConfigIssues([
        { code: 'unrecognized_keys', path: ['pipeline'], keys: ['a', 'b'], message: 'x' },
        { code: 'too_big', path: ['max_drawdown'], message: 'Too big', input: 0.2 },
      ]),
    ).toEqual([
      { key: 'pipeline.a', message: 'unknown key' },
      { key: 'pipeline.b', message: 'unknown key' },
      { key: 'max_drawdown', message: 'Too big, got 0.2' },
    ]);
  });

  it('builds a ConfigError naming the first key and listing every problem', () => {
    const e = configErrorFromIssues([
      { path: ['max_drawdown'], message: 'Too big', input: 0.2 },
      { path: ['hedge_size'], message: 'Too small', input: -1 },
    ]);
    expect(e).toBeInstanceOf(ConfigError);
    expect(e.key).toBe('max_drawdown');
    expect(e.message).toBe('max_drawdown: Too big, got 0.2; hedge_size: Too small, got -1');
    expect(e.context['issues']).toEqual([
      'max_drawdown: Too big, got 0.2',
      'hedge_size: Too small, got -1',
    ]);
    expect(configErrorFromIssues([]).key).toBe('config');
  });

  it('shows no value for a cross-field rule, and numbers as numbers', () => {
    expect(
      describeConfigIssues([
        { code: 'custom', path: ['max_leverage'], message: 'must be >= 4', input: { a: 1 } },
        { code: 'invalid_type', path: ['x'], message: 'expected number', input: Number.NaN },
      ]),
    ).toEqual([
      { key: 'max_leverage', message: 'must be >= 4' },
      { key: 'x', message: 'expected number, got NaN' },
    ]);
  });

  it('shortens long values', () => {
    const [d] = describeConfigIssues([{ path: ['x'], message: 'bad', input: 'y'.repeat(100) }]);
    expect(d?.message.length).toBeLessThan(80);
    expect(d?.message.endsWith('...')).toBe(true);
  });
});
