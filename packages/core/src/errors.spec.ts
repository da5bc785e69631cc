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

describe('error identity across two copies of the package (an ESM and a CommonJS build)', () => {
  // A second, separately loaded copy of this module: its classes are other objects.
  let other: typeof import('./errors') | undefined;
  jest.isolateModules(() => {
    other = jest.requireActual<typeof import('./errors')>('./errors');
  });
  const copy = other as typeof import('./errors');

  it('is a second copy indeed', () => {
    expect(copy.ValidationError).not.toBe(ValidationError);
  });

  it('isQuantpipeError and instanceof hold for an error of the other copy', () => {
    const theirs = new copy.ValidationError('close', 'must be finite');
    expect(isQuantpipeError(theirs)).toBe(true);
    expect(isQuantpipeError(theirs, 'E_VALIDATION')).toBe(true);
    expect(isQuantpipeError(theirs, 'E_DATA')).toBe(false);
    expect(theirs instanceof ValidationError).toBe(true);
    expect(theirs instanceof QuantpipeError).toBe(true);
    expect(theirs instanceof ConfigError).toBe(false);
    const ours = new BrokerError('timeout', 'no answer in 10 s');
    expect(copy.isQuantpipeError(ours, 'E_BROKER')).toBe(true);
    expect(ours instanceof copy.BrokerError).toBe(true);
    expect(ours instanceof copy.ValidationError).toBe(false);
  });

  it('an unbranded look-alike is not a quantpipe error', () => {
    const fake = Object.assign(new Error('x'), { code: 'E_DATA', name: 'DataError' });
    expect(isQuantpipeError(fake)).toBe(false);
    expect(fake instanceof QuantpipeError).toBe(false);
    expect(isQuantpipeError(null)).toBe(false);
    expect(isQuantpipeError('E_DATA')).toBe(false);
  });
});
