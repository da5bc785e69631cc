import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WORKSPACE_ROOT } from './workspace-root';

interface Manifest {
  name: string;
  sideEffects?: boolean;
  files?: string[];
  exports?: Record<string, unknown>;
  dependencies?: Record<string, string>;
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

  it('core has no runtime dependencies', () => {
    const core = libs.find((l) => l.dir === 'core');
    expect(core?.pkg.dependencies ?? {}).toEqual({});
  });
});
