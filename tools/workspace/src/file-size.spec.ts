import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { WORKSPACE_ROOT } from './workspace-root';

/** Most lines a source file under packages/<name>/src may have. */
const MAX_LINES_PER_FILE = 600;

const SOURCE_FILE = /\.(?:[cm]?[jt]s|tsx)$/;

/** Every source file below `dir` (paths relative to the workspace root). */
function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && entry.name !== 'dist') out.push(...sourceFiles(path));
    } else if (entry.isFile() && SOURCE_FILE.test(entry.name)) {
      out.push(relative(WORKSPACE_ROOT, path));
    }
  }
  return out;
}

/** Lines as `wc -l` counts them (a last line without a newline still counts). */
function lineCount(path: string): number {
  const text = readFileSync(join(WORKSPACE_ROOT, path), 'utf8');
  if (text === '') return 0;
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

const packageSources = readdirSync(join(WORKSPACE_ROOT, 'packages'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .flatMap((entry) => {
    const src = join(WORKSPACE_ROOT, 'packages', entry.name, 'src');
    try {
      return sourceFiles(src);
    } catch {
      return [];
    }
  })
  .sort();

describe(`source files under packages/*/src have at most ${MAX_LINES_PER_FILE} lines`, () => {
  it('finds the package sources', () => {
    expect(packageSources.length).toBeGreaterThan(100);
    expect(packageSources).toContain('packages/core/src/index.ts');
  });

  it('no file is over the limit', () => {
    const over = packageSources
      .map((path) => ({ path, lines: lineCount(path) }))
      .filter(({ lines }) => lines > MAX_LINES_PER_FILE)
      .map(({ path, lines }) => `${path}: ${lines} lines (split it by concept)`);
    expect(over).toEqual([]);
  });
});
