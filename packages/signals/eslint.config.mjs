import baseConfig, { noIoConfig } from '../../eslint.config.mjs';

// Node I/O modules and I/O packages stay banned in src/danfo too; only danfojs-node is allowed
// there (the optional-peer interop entry `@quantpipe/signals/danfo`).
const NODE_IO = ['fs', 'fs/promises', 'net', 'http', 'https', 'http2', 'tls', 'dgram', 'dns'];
const NODE_IO_MORE = ['child_process', 'cluster', 'worker_threads', 'readline', 'os'];
const IO_PACKAGES = ['axios', 'node-fetch', 'undici', 'got', 'ws', 'pg', 'better-sqlite3'];
const IO_PACKAGES_MORE = ['kysely', '@alpacahq/alpaca-trade-api', '@stoqey/ib'];
const banned = [...NODE_IO, ...NODE_IO_MORE].flatMap((m) => [m, `node:${m}`]);

export default [
  ...baseConfig,
  ...noIoConfig,
  {
    files: ['src/danfo/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          banTransitiveDependencies: false,
          checkDynamicDependenciesExceptions: [],
          allow: [],
          depConstraints: [
            {
              sourceTag: 'scope:signals',
              onlyDependOnLibsWithTags: ['scope:core'],
              bannedExternalImports: [...banned, ...IO_PACKAGES, ...IO_PACKAGES_MORE],
            },
            { sourceTag: 'type:lib', notDependOnLibsWithTags: ['type:app', 'type:tool'] },
          ],
        },
      ],
    },
  },
];
