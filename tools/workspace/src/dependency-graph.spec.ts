import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allowedDependencies, WORKSPACE_ROOT } from './workspace-root';

interface GraphFile {
  graph: {
    nodes: Record<string, { type: string }>;
    dependencies: Record<string, Array<{ source: string; target: string }>>;
  };
}

describe('the Nx project graph', () => {
  let graph: GraphFile['graph'];
  beforeAll(() => {
    const dir = mkdtempSync(join(tmpdir(), 'qp-graph-'));
    const file = join(dir, 'graph.json');
    const result = spawnSync(
      join(WORKSPACE_ROOT, 'node_modules', '.bin', 'nx'),
      ['graph', `--file=${file}`],
      {
        cwd: WORKSPACE_ROOT,
        encoding: 'utf8',
        env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' },
      },
    );
    if (result.status !== 0) throw new Error(`nx graph failed: ${result.stderr}`);
    graph = (JSON.parse(readFileSync(file, 'utf8')) as GraphFile).graph;
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('has every designed project', () => {
    for (const p of [
      'core',
      'signals',
      'weighting',
      'sizing',
      'risk',
      'storage',
      'data-adapters',
      'strategy',
      'execution',
      'backtest',
      'trader',
      'backtest-cli',
    ]) {
      expect(graph.nodes[p]).toBeDefined();
    }
  });

  it('only has edges in the allowed directions', () => {
    const projects = new Set(Object.keys(graph.nodes));
    const violations: string[] = [];
    for (const [source, deps] of Object.entries(graph.dependencies)) {
      for (const { target } of deps) {
        if (!projects.has(target) || target === 'quantpipe' || source === 'quantpipe') continue; // npm packages
        if (!allowedDependencies(source).includes(target))
          violations.push(`${source} -> ${target}`);
      }
    }
    expect(violations).toEqual([]);
  });

  it('has the core at the bottom: core depends on no workspace project', () => {
    const deps = (graph.dependencies['core'] ?? []).filter((d) => !d.target.startsWith('npm:'));
    expect(deps).toEqual([]);
  });
});
