import { execFileSync } from 'node:child_process';
import { isMissingPackage, loadOptionalDependency } from './optional-dependency';

/** What Node itself (not Jest's resolver) throws for `import` / `require` of a missing package. */
function nodeError(kind: 'import' | 'require'): unknown {
  const load =
    kind === 'import'
      ? "import('absent-driver-for-a-test')"
      : "Promise.resolve().then(() => require('absent-driver-for-a-test'))";
  const out = execFileSync(
    process.execPath,
    [
      '-e',
      `${load}.catch((e) => console.log(JSON.stringify({ code: e.code, message: e.message })))`,
    ],
    { encoding: 'utf8' },
  );
  return JSON.parse(out) as unknown;
}

describe('optional peer dependencies', () => {
  it.each(['import', 'require'] as const)(
    'a package missing for %s becomes a ConfigError naming it and the feature',
    async (kind) => {
      const missing = nodeError(kind);
      expect(isMissingPackage(missing, 'absent-driver-for-a-test')).toBe(true);
      expect(isMissingPackage(missing, 'other')).toBe(false);
      const loading = loadOptionalDependency('url', 'absent-driver-for-a-test', 'a database', () =>
        Promise.reject(missing),
      );
      await expect(loading).rejects.toThrow(
        'url: a database needs the package absent-driver-for-a-test, an optional peer dependency that is not installed: npm install absent-driver-for-a-test',
      );
      await expect(loading).rejects.toMatchObject({
        name: 'ConfigError',
        code: 'E_CONFIG',
        context: { key: 'url', package: 'absent-driver-for-a-test' },
        cause: missing,
      });
    },
  );

  it('any other failure passes through unchanged; a loaded module is returned', async () => {
    const broken = new TypeError('driver failed to initialise');
    await expect(
      loadOptionalDependency('url', 'pg', 'x', () => Promise.reject(broken)),
    ).rejects.toBe(broken);
    const inner = Object.assign(new Error("Cannot find module './binding'"), {
      code: 'MODULE_NOT_FOUND',
    });
    expect(isMissingPackage(inner, 'pg')).toBe(false);
    await expect(loadOptionalDependency('url', 'pg', 'x', async () => 42)).resolves.toBe(42);
  });
});
