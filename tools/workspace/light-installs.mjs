// Light installs, checked from the tarballs: a user who needs one part of a library installs
// only what that part needs. data-adapters: the root, /csv and /synthetic entries load with no
// broker SDK installed (/csv in under 300 ms), /alpaca and /ibkr need their SDK (an optional peer)
// and say which. storage: with better-sqlite3 alone it opens an SQLite database, and a
// PostgreSQL URL is a ConfigError naming pg. Prints the installed package count per entry point.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { provideSqliteAddon } from './readme-example.mjs';

/** Every installed package under a node_modules folder: [name, version, path]. */
export function installedPackages(modules) {
  const out = [];
  if (!existsSync(modules)) return out;
  for (const entry of readdirSync(modules)) {
    if (entry.startsWith('.')) continue;
    const dirs = entry.startsWith('@')
      ? readdirSync(join(modules, entry)).map((n) => join(modules, entry, n))
      : [join(modules, entry)];
    for (const dir of dirs) {
      const manifest = join(dir, 'package.json');
      if (!existsSync(manifest)) continue;
      const { name, version } = JSON.parse(readFileSync(manifest, 'utf8'));
      out.push([name, version, dir]);
      out.push(...installedPackages(join(dir, 'node_modules')));
    }
  }
  return out;
}

/**
 * `npm install` of `specs` (tarball paths or registry names, from the npm cache) into `dir`, an
 * empty project when it has no package.json yet. Install scripts do not run.
 */
export function npmInstall(dir, specs) {
  if (!existsSync(join(dir, 'package.json'))) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
  }
  return spawnSync(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--prefer-offline',
      '--ignore-scripts',
      '--loglevel=error',
      ...specs,
    ],
    { cwd: dir, encoding: 'utf8' },
  );
}

/** Runs an ES module in `dir`; its last stdout line is JSON. */
function probe(dir, code) {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], {
    cwd: dir,
    encoding: 'utf8',
  });
  if (r.status !== 0) return { error: (r.stderr || r.stdout).trim() };
  const lines = r.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]);
}

/** The package's version range in a library manifest (dependencies, then peers). */
const rangeOf = (pkg, name) => pkg.dependencies?.[name] ?? pkg.peerDependencies?.[name];

/** Imports `specifier` in a fresh process: milliseconds, export count, or the error's message. */
const timedImport = (specifier) => `
  const started = performance.now();
  try {
    const m = await import(${JSON.stringify(specifier)});
    console.log(JSON.stringify({ ms: performance.now() - started, exports: Object.keys(m).length }));
  } catch (e) {
    console.log(JSON.stringify({ failed: String(e.code) + ' ' + e.message.split('\\n')[0] }));
  }`;

export function checkLightInstalls({ work, libs, root, fail }) {
  const tarball = (name) => libs.find((l) => l.pkg.name === name)?.tarball;
  const adapters = libs.find((l) => l.pkg.name === '@quantpipe/data-adapters');
  const storage = libs.find((l) => l.pkg.name === '@quantpipe/storage');
  if (!adapters?.tarball || !storage?.tarball) return;

  // data-adapters with no broker SDK, then with each SDK.
  const light = join(work, 'light-data-adapters');
  let r = npmInstall(light, [tarball('@quantpipe/core'), adapters.tarball]);
  if (r.status !== 0) return fail(`install of data-adapters alone failed:\n${r.stderr}`);
  const base = installedPackages(join(light, 'node_modules')).length;
  const sdks = {
    '@alpacahq/alpaca-trade-api': '@quantpipe/data-adapters/alpaca',
    '@stoqey/ib': '@quantpipe/data-adapters/ibkr',
  };
  for (const sdk of Object.keys(sdks))
    if (existsSync(join(light, 'node_modules', sdk)))
      fail(`data-adapters installs ${sdk} although it is an optional peer`);
  for (const entry of ['/csv', '/synthetic', '']) {
    const specifier = `@quantpipe/data-adapters${entry}`;
    const got = probe(light, timedImport(specifier));
    if (got.error || got.failed) {
      fail(`${specifier} does not load without the broker SDKs: ${got.error ?? got.failed}`);
      continue;
    }
    const limit = entry === '/csv' ? 300 : Infinity;
    if (got.ms >= limit)
      fail(`${specifier} took ${got.ms.toFixed(0)} ms to import (limit ${limit})`);
    console.log(
      `  ${specifier}: ${base} installed packages, no broker SDK; import ${got.ms.toFixed(0)} ms, ${got.exports} exports`,
    );
  }
  // /csv reads a CSV folder in that install.
  mkdirSync(join(light, 'bars'), { recursive: true });
  writeFileSync(
    join(light, 'bars', 'ACME_1d.csv'),
    'timestamp,open,high,low,close,volume\n2024-01-02,10,11,9.5,10.5,1000\n2024-01-03,10.5,10.8,10.1,10.2,1200\n',
  );
  const read = probe(
    light,
    `import { CsvHistory } from '@quantpipe/data-adapters/csv';
     const bars = await new CsvHistory('bars').getBars({ symbol: 'ACME', timeframe: '1Day', start: '2024-01-01' });
     console.log(JSON.stringify({ closes: bars.map((b) => b.close) }));`,
  );
  if (read.error || JSON.stringify(read.closes) !== '[10.5,10.2]')
    fail(
      `@quantpipe/data-adapters/csv does not read a CSV folder: ${read.error ?? JSON.stringify(read)}`,
    );
  for (const [sdk, specifier] of Object.entries(sdks)) {
    const missing = probe(light, timedImport(specifier));
    if (!missing.failed?.includes(`'${sdk}'`))
      fail(
        `${specifier} without ${sdk}: expected an error naming it, got ${JSON.stringify(missing)}`,
      );
  }
  for (const [sdk, specifier] of Object.entries(sdks)) {
    const before = installedPackages(join(light, 'node_modules')).length;
    r = npmInstall(light, [`${sdk}@${rangeOf(adapters.pkg, sdk)}`]);
    if (r.status !== 0) {
      fail(`npm install ${sdk} failed:\n${r.stderr}`);
      continue;
    }
    const got = probe(light, timedImport(specifier));
    if (got.error || got.failed)
      fail(`${specifier} does not load with ${sdk}: ${got.error ?? got.failed}`);
    else
      console.log(
        `  ${specifier}: +${installedPackages(join(light, 'node_modules')).length - before} installed packages (${sdk}); import ${got.ms.toFixed(0)} ms, ${got.exports} exports`,
      );
  }

  // storage with better-sqlite3 only.
  const db = join(work, 'light-storage');
  r = npmInstall(db, [
    tarball('@quantpipe/core'),
    storage.tarball,
    `better-sqlite3@${rangeOf(storage.pkg, 'better-sqlite3')}`,
  ]);
  if (r.status !== 0) return fail(`install of storage with better-sqlite3 failed:\n${r.stderr}`);
  provideSqliteAddon({ consumer: db, root }).forEach(fail);
  if (existsSync(join(db, 'node_modules', 'pg')))
    fail('storage installs pg although it is an optional peer');
  const opened = probe(
    db,
    `import { openDatabase } from '@quantpipe/storage';
     const db = await openDatabase('sqlite:trading.sqlite');
     const version = db.schemaVersion;
     await db.close();
     let pg = 'opened';
     try { await openDatabase('postgres://127.0.0.1:9/none'); } catch (e) { pg = e.name + ': ' + e.message; }
     console.log(JSON.stringify({ version, pg }));`,
  );
  if (opened.error) return fail(`@quantpipe/storage with better-sqlite3 only: ${opened.error}`);
  if (!opened.pg.startsWith('ConfigError: url: a PostgreSQL database needs the package pg'))
    fail(`a PostgreSQL URL without pg: expected a ConfigError naming pg, got ${opened.pg}`);
  console.log(
    `  @quantpipe/storage + better-sqlite3: ${installedPackages(join(db, 'node_modules')).length} installed packages; SQLite opened (schema ${opened.version}); without pg: ${opened.pg}`,
  );
}
