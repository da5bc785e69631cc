import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WORKSPACE_ROOT } from './workspace-root';

interface Manifest {
  name: string;
  sideEffects?: boolean;
  files?: string[];
  exports?: Record<string, unknown>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  repository?: { type: string; url: string; directory: string };
  homepage?: string;
  typesVersions?: Record<string, Record<string, string[]>>;
  scripts?: Record<string, string>;
}

const libs = readdirSync(join(WORKSPACE_ROOT, 'packages')).map((dir) => ({
  dir,
  pkg: JSON.parse(
    readFileSync(join(WORKSPACE_ROOT, 'packages', dir, 'package.json'), 'utf8'),
  ) as Manifest,
}));

describe('library manifests are publishable', () => {
  it.each(libs.map((l) => [l.dir, l.pkg] as const))('%s', (dir, pkg) => {
    expect(pkg.name).toBe(`@quantpipe/${dir}`);
    expect(pkg.sideEffects).toBe(false);
    expect(pkg.files).toEqual(['dist']);
    const main = pkg.exports?.['.'] as Record<string, Record<string, string>>;
    expect(main['import']).toEqual({ types: './dist/index.d.ts', default: './dist/index.js' });
    expect(main['require']).toEqual({ types: './dist/index.d.cts', default: './dist/index.cjs' });
  });

  it.each(libs.map((l) => [l.dir, l.pkg] as const))(
    '%s: repository, homepage, ranges for internal dependencies, typesVersions for every subpath, published manifest made at pack time',
    (dir, pkg) => {
      expect(pkg.repository).toEqual({
        type: 'git',
        url: 'git+https://github.com/quantpipe/quantpipe.git',
        directory: `packages/${dir}`,
      });
      expect(pkg.homepage).toContain(`/packages/${dir}#readme`);
      const internal = Object.entries({ ...pkg.dependencies, ...pkg.peerDependencies }).filter(
        ([name]) => name.startsWith('@quantpipe/'),
      );
      for (const [name, range] of internal) expect([name, range]).toEqual([name, '^0.1.0']);
      const subpaths = Object.keys(pkg.exports ?? {})
        .filter((k) => k !== '.' && k !== './package.json')
        .map((k) => k.slice(2));
      expect(Object.keys(pkg.typesVersions?.['*'] ?? {})).toEqual(subpaths);
      for (const sub of subpaths)
        expect(pkg.typesVersions?.['*']?.[sub]).toEqual([`./dist/${sub}/index.d.ts`]);
      expect(pkg.scripts).toEqual({
        prepack: 'node ../../tools/workspace/publish-manifest.mjs strip',
        postpack: 'node ../../tools/workspace/publish-manifest.mjs restore',
      });
    },
  );

  it('core has no runtime dependencies', () => {
    const core = libs.find((l) => l.dir === 'core');
    expect(core?.pkg.dependencies ?? {}).toEqual({});
  });
});
