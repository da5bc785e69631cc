import { ConfigError } from '@quantpipe/core';
import { parseDatabaseUrl } from './url';

describe('parseDatabaseUrl', () => {
  it.each([
    ['sqlite:data/trading.db', 'data/trading.db'],
    ['sqlite:/var/lib/qp/trading.db', '/var/lib/qp/trading.db'],
    ['sqlite:///var/lib/qp/trading.db', '/var/lib/qp/trading.db'],
    ['sqlite::memory:', ':memory:'],
  ])('reads %s as the SQLite file %s', (url, filename) => {
    expect(parseDatabaseUrl(url)).toEqual({ dialect: 'sqlite', filename });
  });

  it.each(['postgres://qp:secret@db.example:5432/trading', 'postgresql://localhost/trading'])(
    'passes %s to pg unchanged',
    (url) => {
      expect(parseDatabaseUrl(url)).toEqual({ dialect: 'postgres', connectionString: url });
    },
  );

  it.each(['', 'sqlite:', 'mysql://localhost/db', 'trading.db', 'http://x'])(
    'refuses %j with a ConfigError on url',
    (url) => {
      const error = (() => {
        try {
          parseDatabaseUrl(url);
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).key).toBe('url');
    },
  );

  it('never echoes a password back', () => {
    expect(() => parseDatabaseUrl('mysql://user:hunter2@host/db')).toThrow(/^(?!.*hunter2)/s);
  });
});
