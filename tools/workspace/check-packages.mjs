#!/usr/bin/env node
// Packaging check for every library in packages/: `npm pack` it, install all the tarballs
// into an empty folder (as a user would), then load each with require() AND import and
// check that both expose the same names. publint and "are the types wrong" (attw: node10,
// node16 CJS and ESM, bundler, every subpath) check the package.json and the type declarations
// of each tarball; the published manifest has no workspace-only export condition; `npm publish
// --dry-run` accepts each; no installed runtime dependency may be one with published advisories
// (see ADVISED); light installs (light-installs.mjs). Run after `nx run-many -t build`.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkLightInstalls, installedPackages, npmInstall } from './light-installs.mjs';
import { provideSqliteAddon, runReadmeExample } from './readme-example.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const work = mkdtempSync(join(tmpdir(), 'quantpipe-pack-'));
const tarballs = join(work, 'tarballs');
const consumer = join(work, 'consumer');
mkdirSync(tarballs);
mkdirSync(consumer);
const failures = [];
const fail = (msg) => {
  failures.push(msg);
  console.error(`  FAIL ${msg}`);
};

const libs = readdirSync(join(root, 'packages'))
  .map((name) => ({ name, dir: join(root, 'packages', name) }))
  .filter(({ dir }) => existsSync(join(dir, 'package.json')))
  .map((lib) => ({ ...lib, pkg: JSON.parse(readFileSync(join(lib.dir, 'package.json'), 'utf8')) }));

const { publint } = await import('publint');
const { formatMessage } = await import('publint/utils');

for (const lib of libs) {
  console.log(`${lib.pkg.name}`);
  if (!existsSync(join(lib.dir, 'dist'))) {
    fail(`${lib.pkg.name}: no dist/ (build it first)`);
    continue;
  }
  const packed = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--pack-destination', tarballs], {
      cwd: lib.dir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }),
  )[0];
  lib.tarball = join(tarballs, packed.filename);
  const files = packed.files.map((f) => f.path);
  if (files.some((f) => f.startsWith('src/') || f.includes('.spec.')))
    fail(`${lib.pkg.name}: tarball ships sources or tests`);
  if (!files.includes('LICENSE')) fail(`${lib.pkg.name}: tarball has no LICENSE`);
  console.log(
    `  packed ${packed.filename}: ${files.length} files, ${(packed.size / 1024).toFixed(1)} KiB`,
  );

  const { messages, pkg } = await publint({ pkgDir: lib.dir, strict: true });
  for (const m of messages) {
    const text = `publint ${m.type}: ${formatMessage(m, pkg)}`;
    if (m.type === 'error') fail(`${lib.pkg.name}: ${text}`);
    else console.log(`  ${text}`);
  }

  // The published manifest: npm ran the package's prepack (tools/workspace/publish-manifest.mjs).
  const published = JSON.parse(
    execFileSync('tar', ['-xzOf', lib.tarball, 'package/package.json'], { encoding: 'utf8' }),
  );
  if (JSON.stringify(published.exports).includes('@quantpipe/source'))
    fail(`${lib.pkg.name}: the published exports keep the @quantpipe/source condition`);
  if (published.scripts?.prepack !== undefined || published.scripts?.postpack !== undefined)
    fail(`${lib.pkg.name}: the published manifest keeps the workspace's pack scripts`);
  const workspaceManifest = readFileSync(join(lib.dir, 'package.json'), 'utf8');
  if (
    !workspaceManifest.includes('@quantpipe/source') ||
    existsSync(join(lib.dir, 'package.json.workspace'))
  )
    fail(`${lib.pkg.name}: the workspace package.json was not restored after packing`);
  const subpaths = Object.keys(published.exports).filter((k) => k !== './package.json');
  console.log(`  published exports: ${subpaths.join(', ')} (no source condition)`);

  const attw = spawnSync(bin('attw'), [lib.tarball, '--format', 'ascii', '--no-color'], {
    encoding: 'utf8',
  });
  if (attw.status !== 0)
    fail(`${lib.pkg.name}: attw found type resolution problems\n${attw.stdout}${attw.stderr}`);
  else console.log('  attw: no problems (node10, node16 CJS and ESM, bundler; every subpath)');

  // A loopback registry that nothing listens on: the dry run must not need the network.
  const publish = spawnSync(
    'npm',
    [
      'publish',
      '--dry-run',
      '--json',
      '--offline',
      '--registry=http://127.0.0.1:9/',
      '--loglevel=error',
    ],
    { cwd: lib.dir, encoding: 'utf8' },
  );
  const dryRun = publish.status === 0 ? JSON.parse(publish.stdout)[lib.pkg.name] : undefined;
  if (dryRun?.id !== `${lib.pkg.name}@${lib.pkg.version}`)
    fail(`${lib.pkg.name}: npm publish --dry-run failed\n${publish.stdout}${publish.stderr}`);
  else console.log(`  npm publish --dry-run: ${dryRun.id}, ${dryRun.entryCount} files`);
}

// Install every tarball together (they depend on each other) into an empty project.
const install = npmInstall(
  consumer,
  libs.filter((l) => l.tarball).map((l) => l.tarball),
);
if (install.status !== 0) fail(`npm install of the tarballs failed:\n${install.stderr}`);
else console.log(`installed ${libs.length} tarballs into an empty folder`);

for (const lib of libs) {
  if (!lib.tarball || install.status !== 0) continue;
  const probe = `
    const cjs = Object.keys(require(${JSON.stringify(lib.pkg.name)})).sort();
    import(${JSON.stringify(lib.pkg.name)}).then((esm) => {
      const names = Object.keys(esm).filter((k) => k !== 'default' && k !== 'module.exports').sort();
      if (cjs.length === 0) { console.error('no exports'); process.exit(1); }
      if (JSON.stringify(cjs) !== JSON.stringify(names)) { console.error('require and import differ', cjs, names); process.exit(1); }
      console.log(cjs.length);
    }, (e) => { console.error(e); process.exit(1); });`;
  const r = spawnSync(process.execPath, ['-e', probe], { cwd: consumer, encoding: 'utf8' });
  if (r.status !== 0)
    fail(`${lib.pkg.name}: does not load with require() and import: ${r.stderr.trim()}`);
  else console.log(`  ${lib.pkg.name}: require() and import both load ${r.stdout.trim()} exports`);
}

// Error identity across the dual package: an application that both requires and imports
// @quantpipe/core holds two copies of every error class; an error thrown by either copy is a
// quantpipe error, and an instance of the same-named class, for the other.
if (install.status === 0) {
  const probe = `
    const cjs = require('@quantpipe/core');
    import('@quantpipe/core').then((esm) => {
      const fromCjs = new cjs.ValidationError('window', 'must be an integer');
      const fromEsm = new esm.DataError('NaN close');
      const checks = {
        'two copies': esm.ValidationError !== cjs.ValidationError,
        'isQuantpipeError (ESM) of a CJS error': esm.isQuantpipeError(fromCjs, 'E_VALIDATION'),
        'isQuantpipeError (CJS) of an ESM error': cjs.isQuantpipeError(fromEsm, 'E_DATA'),
        'CJS error instanceof ESM ValidationError': fromCjs instanceof esm.ValidationError,
        'ESM error instanceof CJS QuantpipeError': fromEsm instanceof cjs.QuantpipeError,
        'ESM DataError not instanceof CJS ConfigError': !(fromEsm instanceof cjs.ConfigError),
      };
      const failed = Object.entries(checks).filter(([, ok]) => !ok).map(([name]) => name);
      if (failed.length > 0) { console.error(failed.join('; ')); process.exit(1); }
      console.log(Object.keys(checks).length);
    }, (e) => { console.error(e); process.exit(1); });`;
  const r = spawnSync(process.execPath, ['-e', probe], { cwd: consumer, encoding: 'utf8' });
  if (r.status !== 0)
    fail(`@quantpipe/core: error identity across ESM and CJS: ${r.stderr.trim()}`);
  else
    console.log(
      `  @quantpipe/core: error identity holds across ESM and CJS (${r.stdout.trim()} checks)`,
    );
}

// No runtime dependency of any library may bring in a package with published advisories and no
// fixed version in its dependents' ranges: danfojs-node's request@2.88.2 (SSRF,
// GHSA-p8p7-x288-28g6) with form-data@2.3.3 (predictable boundary, GHSA-fjxv-7rqg-78g4) and
// tough-cookie@2.5.0 (prototype pollution, GHSA-72xf-g2v4-qvf3), and xlsx@0.18.5 (prototype
// pollution GHSA-4r6h-8v6p-xvw6, ReDoS GHSA-5pgg-2g8v-p4x9; no fixed version on npm).
// danfojs-node stays an optional peer of @quantpipe/signals/danfo, so none of them is installed.
const older = (version, than) => {
  const a = version.split(/[.+-]/).map(Number);
  const b = than.split('.').map(Number);
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) < (b[i] ?? 0);
  return false;
};
const ADVISED = {
  'danfojs-node': () => true,
  request: () => true,
  xlsx: () => true,
  'form-data': (v) =>
    older(v, '2.5.4') ||
    (!older(v, '3.0.0') && older(v, '3.0.4')) ||
    (!older(v, '4.0.0') && older(v, '4.0.4')),
  'tough-cookie': (v) => older(v, '4.1.3'),
};
if (install.status === 0) {
  const packages = installedPackages(join(consumer, 'node_modules'));
  const flagged = packages.filter(([name, version]) => ADVISED[name]?.(version));
  for (const [name, version, dir] of flagged)
    fail(
      `a runtime dependency brings in ${name}@${version} (published advisories): ${dir.slice(consumer.length + 1)}`,
    );
  if (flagged.length === 0)
    console.log(
      `${packages.length} installed runtime packages: none of danfojs-node, request, xlsx, form-data < 2.5.4, tough-cookie < 4.1.3`,
    );
}

// The backtester's README example, from the installed tarballs, with import and require.
if (install.status === 0) {
  const problems = provideSqliteAddon({ consumer, root });
  problems.push(
    ...runReadmeExample({
      consumer,
      readmePath: join(root, 'packages', 'backtest', 'README.md'),
      name: 'backtest',
      expect: /final equity [0-9.]+ USD/,
    }),
  );
  problems.forEach(fail);
}

// Light installs: one part of a library with only what it needs.
if (install.status === 0) checkLightInstalls({ work, libs, root, fail });

rmSync(work, { recursive: true, force: true });
if (failures.length > 0) {
  console.error(`\n${failures.length} packaging problem(s)`);
  process.exit(1);
}
console.log(`\nall ${libs.length} library tarballs install and load with require() and import`);
