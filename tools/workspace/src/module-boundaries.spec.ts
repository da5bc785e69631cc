import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { WORKSPACE_ROOT } from './workspace-root';

interface LintMessage {
  ruleId: string | null;
  message: string;
}

/** Lints `code` as if it were a new source file of `project`, with the project's own config. */
function lintProbe(projectDir: string, code: string): LintMessage[] {
  const cwd = join(WORKSPACE_ROOT, projectDir);
  const result = spawnSync(
    join(WORKSPACE_ROOT, 'node_modules', '.bin', 'eslint'),
    ['--format', 'json', '--stdin', '--stdin-filename', join(cwd, 'src', 'boundary-probe.ts')],
    { cwd, input: code, encoding: 'utf8', env: { ...process.env, NX_DAEMON: 'false' } },
  );
  const parsed = JSON.parse(result.stdout) as Array<{ messages: LintMessage[] }>;
  return parsed[0]?.messages ?? [];
}

const rules = (messages: LintMessage[]): string[] => messages.map((m) => m.ruleId ?? 'parse-error');

describe('module boundaries are enforced by lint', () => {
  it.each([
    [
      'packages/risk',
      "import { openDatabase } from '@quantpipe/storage';\nexport const x = openDatabase;\n",
    ],
    ['packages/signals', "import * as w from '@quantpipe/weighting';\nexport const x = w;\n"],
    ['packages/core', "import * as s from '@quantpipe/signals';\nexport const x = s;\n"],
    ['packages/data-adapters', "import * as r from '@quantpipe/risk';\nexport const x = r;\n"],
    ['packages/execution', "import * as t from '@quantpipe/trader';\nexport const x = t;\n"],
    ['packages/execution', "import * as s from '@quantpipe/signals';\nexport const x = s;\n"],
    ['packages/execution', "import * as s from '@quantpipe/strategy';\nexport const x = s;\n"],
    ['packages/strategy', "import * as e from '@quantpipe/execution';\nexport const x = e;\n"],
    ['packages/backtest', "import * as t from '@quantpipe/trader';\nexport const x = t;\n"],
  ])('%s may not import that library', (project, code) => {
    expect(rules(lintProbe(project, code))).toContain('@nx/enforce-module-boundaries');
  });

  it.each([
    ['packages/risk', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n"],
    ['packages/signals', "import http from 'http';\nexport const x = http;\n"],
    ['packages/weighting', "import { Pool } from 'pg';\nexport const x = Pool;\n"],
    [
      'packages/sizing',
      "import Alpaca from '@alpacahq/alpaca-trade-api';\nexport const x = Alpaca;\n",
    ],
  ])('pure library %s may not import I/O modules', (project, code) => {
    expect(rules(lintProbe(project, code))).toContain('no-restricted-imports');
  });

  it.each([
    ['packages/weighting', "import * as s from '@quantpipe/signals';\nexport const x = s;\n"],
    ['packages/execution', "import * as r from '@quantpipe/risk';\nexport const x = r;\n"],
    ['packages/strategy', "import * as w from '@quantpipe/weighting';\nexport const x = w;\n"],
    ['packages/backtest', "import * as e from '@quantpipe/execution';\nexport const x = e;\n"],
    ['packages/storage', "import { Pool } from 'pg';\nexport const x = Pool;\n"],
  ])('%s may import what the design allows', (project, code) => {
    expect(lintProbe(project, code)).toEqual([]);
  });
});
