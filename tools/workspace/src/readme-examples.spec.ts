import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WORKSPACE_ROOT } from './workspace-root';

/**
 * Every TypeScript example in the libraries' READMEs (and the root README) runs as written, from
 * the workspace sources. A block that cannot run alone says why in the comment right above it,
 * `<!-- example: ... -->` (a fragment of the example before it, or one that needs a live broker
 * account). Each library has at least one example that runs.
 */
interface Example {
  readonly readme: string;
  readonly index: number;
  readonly code: string;
  /** Why the block does not run alone, when it says so. */
  readonly skip: string | undefined;
}

function examplesOf(readme: string): Example[] {
  const text = readFileSync(join(WORKSPACE_ROOT, readme), 'utf8');
  const out: Example[] = [];
  const fence = /^```ts\n([\s\S]*?)^```/gm;
  for (let m = fence.exec(text); m !== null; m = fence.exec(text)) {
    const before = text.slice(0, m.index).trimEnd();
    const marker = /<!-- example: (.*?) -->$/.exec(before);
    out.push({ readme, index: out.length, code: m[1] as string, skip: marker?.[1] });
  }
  return out;
}

const readmes = [
  'README.md',
  ...readdirSync(join(WORKSPACE_ROOT, 'packages')).map((p) => `packages/${p}/README.md`),
];
const examples = readmes.flatMap(examplesOf);
const runnable = examples.filter((e) => e.skip === undefined);
// Inside the workspace (tmp/ is ignored by git): imports resolve to the workspace packages, and
// worker threads the examples start find tsx.
const scratch = join(WORKSPACE_ROOT, 'tmp', 'readme-examples');

beforeAll(() => mkdirSync(scratch, { recursive: true }));

describe('README examples', () => {
  it.each(runnable.map((e) => [`${e.readme} #${e.index}`, e] as const))(
    '%s runs',
    (_name, example) => {
      const cwd = mkdtempSync(join(scratch, 'run-'));
      try {
        const file = join(cwd, 'example.mts');
        writeFileSync(file, example.code);
        const r = spawnSync(
          process.execPath,
          ['--conditions=@quantpipe/source', '--import', 'tsx', file],
          { cwd, encoding: 'utf8', timeout: 60_000 },
        );
        if (r.status !== 0) throw new Error(`exit ${r.status}\n${r.stderr}`);
        expect(r.status).toBe(0);
      } finally {
        rmSync(cwd, { recursive: true, force: true });
      }
    },
    70_000,
  );

  it('every library has a running example; every block that does not run says why', () => {
    for (const dir of readdirSync(join(WORKSPACE_ROOT, 'packages')))
      expect([dir, runnable.some((e) => e.readme === `packages/${dir}/README.md`)]).toEqual([
        dir,
        true,
      ]);
    for (const e of examples.filter((x) => x.skip !== undefined))
      expect(e.skip?.length ?? 0).toBeGreaterThan(10);
    expect(runnable.length).toBeGreaterThanOrEqual(20);
  });
});
