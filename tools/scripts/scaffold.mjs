// One-off generator for the uniform per-project files (package.json, project.json,
// tsconfigs, jest config). Safe to re-run: it never overwrites src/ or README.md.
import { mkdirSync, writeFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const V = '0.1.0';
const libs = {
  core: {
    desc: 'Domain types, ports and typed errors shared by every quantpipe package.',
    deps: {},
    tags: ['scope:core', 'type:lib', 'io:none'],
  },
  signals: {
    desc: 'Alpha signals (volatility, momentum, tail risk, beta, carry), hourly signals, rolling validation and health scores: batch and streaming.',
    deps: { core: 1 },
    tags: ['scope:signals', 'type:lib', 'io:none'],
    extraEntries: { danfo: 'src/danfo/index.ts' },
    peer: { 'danfojs-node': '^1.1.2' },
  },
  weighting: {
    desc: 'Correlation-aware signal weights, risk budgets and the hybrid daily/hourly composite.',
    deps: { core: 1, signals: 1, 'ml-matrix': '^6.12.1' },
    tags: ['scope:weighting', 'type:lib', 'io:none'],
  },
  sizing: {
    desc: 'Liquidity-aware target positions and adaptive position decay.',
    deps: { core: 1 },
    tags: ['scope:sizing', 'type:lib', 'io:none'],
  },
  risk: {
    desc: 'Risk monitor, kill switch, stateful tail hedge, slippage model, performance metrics and retry policy for any trading bot.',
    deps: { core: 1 },
    tags: ['scope:risk', 'type:lib', 'io:none'],
  },
  storage: {
    desc: 'The trading database: kysely schema and migrations on SQLite (better-sqlite3) and PostgreSQL (pg); implements the Journal port.',
    deps: { core: 1, kysely: '~0.28.8', 'better-sqlite3': '^12.4.1', pg: '^8.16.0' },
    tags: ['scope:storage', 'type:lib'],
  },
  'data-adapters': {
    desc: 'Market data and broker adapters: Alpaca, IBKR (TWS), dual broker, CSV history, cached history and a synthetic market.',
    deps: { core: 1, '@alpacahq/alpaca-trade-api': '^3.1.3', '@stoqey/ib': '^1.5.0' },
    tags: ['scope:data-adapters', 'type:lib'],
  },
  execution: {
    desc: 'The trading engine (rebalance, order transitions, buying power, reconciliation), the simulated broker and alerts. Backtests and live trading run this same code.',
    deps: { core: 1, signals: 1, weighting: 1, sizing: 1, risk: 1 },
    tags: ['scope:execution', 'type:lib'],
  },
};
const apps = {
  trader: {
    desc: 'Command-line trader: runs the engine against a simulated, Alpaca, IBKR or dual broker.',
    deps: {
      core: 1,
      signals: 1,
      weighting: 1,
      sizing: 1,
      risk: 1,
      storage: 1,
      'data-adapters': 1,
      execution: 1,
      commander: '^14.0.1',
      zod: '^4.1.0',
      pino: '^10.0.0',
    },
    tags: ['scope:app', 'type:app'],
  },
  backtest: {
    desc: 'Command-line backtester with terminal summary, CSV/JSON outputs and an offline HTML report.',
    deps: {
      core: 1,
      signals: 1,
      weighting: 1,
      sizing: 1,
      risk: 1,
      storage: 1,
      'data-adapters': 1,
      execution: 1,
      commander: '^14.0.1',
      zod: '^4.1.0',
      pino: '^10.0.0',
      vega: '^5.33.0',
      'vega-lite': '^5.23.0',
      'cli-progress': '^3.12.0',
    },
    tags: ['scope:app', 'type:app'],
  },
};
const tools = {
  'alpaca-emulator': {
    desc: 'Loopback emulator of the Alpaca REST API (market data and trading) for tests and dry runs.',
    deps: { core: 1, 'data-adapters': 1 },
    tags: ['scope:tool', 'type:tool'],
    bin: 'alpaca-emulator',
  },
  'tws-emulator': {
    desc: 'Loopback emulator of the IB TWS socket protocol for tests and dry runs.',
    deps: { core: 1, 'data-adapters': 1 },
    tags: ['scope:tool', 'type:tool'],
    bin: 'tws-emulator',
  },
  workspace: {
    desc: 'Workspace checks: module boundaries, dependency graph and package tarballs.',
    deps: {},
    tags: ['scope:tool', 'type:tool'],
  },
  bench: {
    desc: 'Benchmarks for quantpipe (signals, weighting, storage, backtest).',
    deps: {
      core: 1,
      signals: 1,
      weighting: 1,
      sizing: 1,
      risk: 1,
      storage: 1,
      'data-adapters': 1,
      execution: 1,
    },
    tags: ['scope:tool', 'type:tool'],
  },
};

function depVersions(deps) {
  const out = {};
  for (const [k, v] of Object.entries(deps)) out[v === 1 ? `@quantpipe/${k}` : k] = v === 1 ? V : v;
  return out;
}
function write(path, content, overwrite = true) {
  if (!overwrite && existsSync(path)) return;
  writeFileSync(
    path,
    typeof content === 'string' ? content : JSON.stringify(content, null, 2) + '\n',
  );
}
function exportEntry(srcRel, base) {
  return {
    '@quantpipe/source': `./${srcRel}`,
    import: { types: `./dist/${base}.d.ts`, default: `./dist/${base}.js` },
    require: { types: `./dist/${base}.d.cts`, default: `./dist/${base}.cjs` },
  };
}

function project(kind, name, spec) {
  const dir = `${kind}/${name}`;
  const root = '../'.repeat(dir.split('/').length);
  mkdirSync(join(dir, 'src'), { recursive: true });
  const isLib = kind === 'packages';
  const pkgName = isLib ? `@quantpipe/${name}` : `@quantpipe/${name}`;
  const entries = {
    '.': 'src/index.ts',
    ...(spec.extraEntries
      ? Object.fromEntries(Object.entries(spec.extraEntries).map(([k, v]) => [`./${k}`, v]))
      : {}),
  };
  const pkg = {
    name: pkgName,
    version: V,
    description: spec.desc,
    license: 'MIT',
    ...(isLib ? {} : { private: true }),
    type: 'module',
    sideEffects: false,
    engines: { node: '>=20.11' },
  };
  if (isLib) {
    pkg.main = './dist/index.cjs';
    pkg.module = './dist/index.js';
    pkg.types = './dist/index.d.ts';
    pkg.exports = { '.': exportEntry('src/index.ts', 'index') };
    for (const [k, v] of Object.entries(spec.extraEntries ?? {}))
      pkg.exports[`./${k}`] = exportEntry(v, `${k}/index`);
    pkg.exports['./package.json'] = './package.json';
    pkg.files = ['dist'];
    pkg.publishConfig = { access: 'public' };
    pkg.keywords = ['trading', 'quant', 'quantpipe'];
  } else {
    pkg.exports = { '.': exportEntry('src/index.ts', 'index') };
    if (spec.bin) pkg.bin = { [spec.bin]: './dist/main.cjs' };
  }
  if (kind === 'apps') pkg.bin = { [name]: './dist/main.cjs' };
  pkg.dependencies = depVersions(spec.deps);
  if (spec.peer) {
    pkg.peerDependencies = spec.peer;
    pkg.peerDependenciesMeta = Object.fromEntries(
      Object.keys(spec.peer).map((k) => [k, { optional: true }]),
    );
    pkg.devDependencies = spec.peer;
  }
  write(join(dir, 'package.json'), pkg);

  const entryArgs = Object.entries(entries).map(([k, v]) =>
    k === '.' ? `index=${v}` : `${k.slice(2)}/index=${v}`,
  );
  const targets = {
    typecheck: {
      executor: 'nx:run-commands',
      cache: true,
      inputs: ['default', '^default'],
      options: { command: 'tsc -p tsconfig.json --noEmit', cwd: '{projectRoot}' },
    },
    lint: {
      executor: 'nx:run-commands',
      cache: true,
      inputs: ['default', '{workspaceRoot}/eslint.config.mjs'],
      options: { command: 'eslint --max-warnings=0 .', cwd: '{projectRoot}' },
    },
    test: {
      executor: 'nx:run-commands',
      cache: false,
      options: { command: 'jest -c jest.config.cjs', cwd: '{projectRoot}' },
    },
  };
  if (isLib || kind === 'apps' || spec.bin) {
    const tsupEntries = isLib
      ? entryArgs.map((e) => `--entry.${e.split('=')[0]}=${e.split('=')[1]}`).join(' ')
      : '--entry.index=src/index.ts --entry.main=src/main.ts';
    targets.build = {
      executor: 'nx:run-commands',
      cache: true,
      dependsOn: ['^build'],
      inputs: ['production', '^production'],
      outputs: ['{projectRoot}/dist'],
      options: {
        command: `tsup ${tsupEntries} --format esm,cjs --dts --clean --sourcemap --target node20 --out-dir dist --tsconfig tsconfig.lib.json`,
        cwd: '{projectRoot}',
      },
    };
  }
  write(join(dir, 'project.json'), {
    name,
    $schema: `${root}node_modules/nx/schemas/project-schema.json`,
    sourceRoot: `${dir}/src`,
    projectType: isLib ? 'library' : 'application',
    tags: spec.tags,
    targets,
  });
  write(join(dir, 'tsconfig.json'), {
    extends: `${root}tsconfig.base.json`,
    compilerOptions: { types: ['node', 'jest'], noEmit: true },
    include: ['src/**/*.ts', '*.ts'],
  });
  write(join(dir, 'tsconfig.lib.json'), {
    extends: `${root}tsconfig.base.json`,
    compilerOptions: { types: ['node'], customConditions: [], rootDir: 'src' },
    include: ['src/**/*.ts'],
    exclude: [
      'src/**/*.spec.ts',
      'src/**/*.test.ts',
      'src/**/__fixtures__/**',
      'src/**/testing/**',
    ],
  });
  write(
    join(dir, 'jest.config.cjs'),
    `/** @type {import('jest').Config} */\nmodule.exports = {\n  ...require('${root}jest.preset.js'),\n  displayName: '${name}',\n  rootDir: __dirname,\n};\n`,
  );
  const pure = spec.tags.includes('io:none');
  write(
    join(dir, 'eslint.config.mjs'),
    pure
      ? `import baseConfig, { noIoConfig } from '${root}eslint.config.mjs';\n\nexport default [...baseConfig, ...noIoConfig];\n`
      : `import baseConfig from '${root}eslint.config.mjs';\n\nexport default [...baseConfig];\n`,
  );
}

for (const [n, s] of Object.entries(libs)) project('packages', n, s);
for (const [n, s] of Object.entries(apps)) project('apps', n, s);
for (const [n, s] of Object.entries(tools)) project('tools', n, s);
console.log('scaffolded');
