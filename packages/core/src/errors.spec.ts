import {
  BrokerError,
  ConfigError,
  isQuantpipeError,
  QuantpipeError,
  ValidationError,
} from './errors';

describe('typed errors', () => {
  it('carry a stable code, a name and context', () => {
    const e = new ValidationError('close', 'must be finite', { context: { index: 3 } });
    expect(e).toBeInstanceOf(QuantpipeError);
    expect(e).toBeInstanceOf(Error);
    expect(e.code).toBe('E_VALIDATION');
    expect(e.name).toBe('ValidationError');
    expect(e.argument).toBe('close');
    expect(e.message).toBe('close: must be finite');
    expect(e.context).toEqual({ argument: 'close', index: 3 });
  });

  it('keep the cause', () => {
    const root = new Error('socket hang up');
    const e = new BrokerError('connection', 'alpaca unreachable', { cause: root, venue: 'alpaca' });
    expect(e.cause).toBe(root);
    expect(e.retryable).toBe(true);
    expect(new BrokerError('auth', 'bad key').retryable).toBe(false);
  });

  it('name the config key', () => {
    const e = new ConfigError('max_leverage', 'must be <= 10');
    expect(e.key).toBe('max_leverage');
    expect(e.message).toContain('max_leverage');
  });

  it('are recognised by the type guard, by code', () => {
    const e = new ConfigError('symbols', 'empty');
    expect(isQuantpipeError(e)).toBe(true);
    expect(isQuantpipeError(e, 'E_CONFIG')).toBe(true);
    expect(isQuantpipeError(e, 'E_DATA')).toBe(false);
    expect(isQuantpipeError(new Error('x'))).toBe(false);
  });
});
