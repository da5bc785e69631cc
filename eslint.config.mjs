// Lint rules for the whole workspace. Each project's eslint.config.mjs extends this.
//
// Module boundaries (the dependency direction of the design):
//   core <- signals <- weighting <- strategy;  core <- sizing, risk, storage, data-adapters;
//   execution <- core, sizing, risk;  backtest <- every library;  apps <- anything;
//   tools <- anything but apps;  nothing depends on tools or apps.
// The numeric and risk libraries (tag io:none) may not reach the outside world:
// no node I/O modules, no HTTP clients, no database drivers.
import nx from '@nx/eslint-plugin';

const NODE_IO_MODULES = [
  'fs',
  'fs/promises',
  'net',
  'http',
  'https',
  'http2',
  'tls',
  'dgram',
  'dns',
  'child_process',
  'cluster',
  'worker_threads',
  'readline',
  'os',
];
const IO_PACKAGES = [
  'axios',
  'node-fetch',
  'undici',
  'got',
  'ws',
  'pg',
  'better-sqlite3',
  'kysely',
  '@alpacahq/alpaca-trade-api',
  '@stoqey/ib',
  'danfojs-node',
];
const bannedForPureLibs = [
  ...NODE_IO_MODULES,
  ...NODE_IO_MODULES.map((m) => `node:${m}`),
  ...IO_PACKAGES,
];

const lib = (name, deps, extra = {}) => ({
  sourceTag: `scope:${name}`,
  onlyDependOnLibsWithTags: deps.map((d) => `scope:${d}`),
  ...extra,
});

export default [
  { ignores: ['**/dist', '**/node_modules', '**/coverage', '.nx', 'reports', 'tmp', '**/out'] },
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  {
    files: ['**/src/**/*.ts', '**/src/**/*.mjs', '**/test/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          banTransitiveDependencies: false,
          // The backtester imports the Alpaca entry of data-adapters on demand (its SDK is an
          // optional peer) and the rest of data-adapters statically; it loads storage on demand
          // where a market comes from a database (a sweep worker thread never needs kysely) and
          // statically where results are recorded; the backtest CLI loads the queue entry of
          // the backtester (BullMQ, ioredis) only for its queue commands: all intended.
          checkDynamicDependenciesExceptions: [
            '@quantpipe/data-adapters',
            '@quantpipe/storage',
            '@quantpipe/backtest',
          ],
          allow: [],
          depConstraints: [
            lib('core', []),
            lib('signals', ['core'], { bannedExternalImports: bannedForPureLibs }),
            lib('weighting', ['core', 'signals'], { bannedExternalImports: bannedForPureLibs }),
            lib('sizing', ['core'], { bannedExternalImports: bannedForPureLibs }),
            lib('risk', ['core'], { bannedExternalImports: bannedForPureLibs }),
            lib('storage', ['core']),
            lib('data-adapters', ['core']),
            lib('strategy', ['core', 'signals', 'weighting'], {
              bannedExternalImports: bannedForPureLibs,
            }),
            lib('execution', ['core', 'sizing', 'risk']),
            lib('backtest', [
              'core',
              'signals',
              'weighting',
              'strategy',
              'sizing',
              'risk',
              'storage',
              'data-adapters',
              'execution',
            ]),
            { sourceTag: 'type:app', notDependOnLibsWithTags: ['type:app', 'type:tool'] },
            { sourceTag: 'type:tool', notDependOnLibsWithTags: ['type:app'] },
            { sourceTag: 'type:lib', notDependOnLibsWithTags: ['type:app', 'type:tool'] },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-console': 'off',
    },
  },
];

/**
 * Extra rules for the pure libraries (core, signals, weighting, sizing, risk): their runtime
 * code must not import I/O. Node's own modules are not in the project graph, so they are
 * banned by name here as well as through `bannedExternalImports`. Tests may read fixtures.
 */
export const noIoConfig = [
  {
    files: ['src/**/*.ts'],
    ignores: ['src/**/*.spec.ts', 'src/**/testing/**', 'src/**/__fixtures__/**', 'src/danfo/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: bannedForPureLibs.map((name) => ({
            name,
            message: 'This library is pure: no I/O modules, HTTP clients or database drivers.',
          })),
        },
      ],
    },
  },
];
