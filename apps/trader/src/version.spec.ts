import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TRADER_VERSION } from './version';

it('TRADER_VERSION is the package version', () => {
  const pkg = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as {
    version: string;
  };
  expect(TRADER_VERSION).toBe(pkg.version);
});
