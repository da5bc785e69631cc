#!/usr/bin/env node
// `npm test`: formatting, lint, typecheck and every project's tests through Nx; then build the libraries,
// check their npm tarballs (tools/workspace/check-packages.mjs) and build the API reference with a
// link check (tools/docs/build-api-docs.mjs). Ends with one summary
// line, "N passed, N failed", summed over every project's Jest run.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkNodeVersion } from './check-node-version.mjs';

checkNodeVersion();
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const reports = join(root, 'reports', 'jest');
const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' };
const nx = join(root, 'node_modules', '.bin', 'nx');

function run(title, command, args) {
  console.log(`\n=== ${title} ===`);
  const started = Date.now();
  const result = spawnSync(command, args, { cwd: root, env, stdio: 'inherit' });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`=== ${title}: ${result.status === 0 ? 'ok' : 'FAILED'} (${seconds} s) ===`);
  return result.status === 0;
}

function projects() {
  const out = [];
  for (const group of ['packages', 'apps', 'tools']) {
    for (const name of readdirSync(join(root, group))) {
      if (existsSync(join(root, group, name, 'project.json'))) out.push({ group, name });
    }
  }
  return out;
}

rmSync(reports, { recursive: true, force: true });
const results = [];
results.push(
  run('formatting (prettier --check)', join(root, 'node_modules', '.bin', 'prettier'), [
    '--check',
    '--log-level=warn',
    '.',
  ]),
);
results.push(
  run('lint, typecheck and tests (all projects)', nx, [
    'run-many',
    '-t',
    'lint',
    'typecheck',
    'test',
    '--outputStyle=static',
    '--parallel=2',
    '--skipNxCache',
  ]),
);
results.push(
  run('build libraries', nx, [
    'run-many',
    '-t',
    'build',
    '--projects=tag:type:lib',
    '--outputStyle=static',
    '--parallel=2',
  ]),
);
results.push(
  run('package tarballs', process.execPath, [
    join(root, 'tools', 'workspace', 'check-packages.mjs'),
  ]),
);
results.push(
  run('API reference (typedoc, link check)', process.execPath, [
    join(root, 'tools', 'docs', 'build-api-docs.mjs'),
  ]),
);

// Summary over every project's Jest run, and a check that each project ran real tests.
let passed = 0;
let failed = 0;
const missing = [];
for (const { group, name } of projects()) {
  const file = join(reports, `${group}-${name}.json`);
  if (!existsSync(file)) {
    missing.push(`${group}/${name}`);
    continue;
  }
  const r = JSON.parse(readFileSync(file, 'utf8'));
  passed += r.passed;
  failed += r.failed + r.suitesFailedToRun;
  if (r.passed === 0) missing.push(`${group}/${name}`);
}
if (missing.length > 0) {
  console.error(`\nProjects that ran no passing test: ${missing.join(', ')}`);
  failed += missing.length;
}
const ok = results.every(Boolean) && failed === 0;
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(ok ? 0 : 1);
