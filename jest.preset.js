// Shared Jest settings: every project's jest.config.cjs spreads this.
// Sources are compiled by SWC (fast, no type checking: `typecheck` does that).
// Workspace packages resolve to their TypeScript sources through the
// "@quantpipe/source" export condition, so tests never need a prior build.
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  testEnvironmentOptions: {
    customExportConditions: ['@quantpipe/source', 'node', 'node-addons'],
  },
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
  moduleFileExtensions: ['ts', 'js', 'cjs', 'mjs', 'json'],
  transform: {
    '^.+\\.(t|j)s$': [
      '@swc/jest',
      {
        jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
        module: { type: 'commonjs' },
      },
    ],
  },
  // kysely and commander ship only ES modules. Node.js require()s them, but Jest's own module
  // loader does so only under --experimental-vm-modules: compile them to CommonJS instead.
  transformIgnorePatterns: ['/node_modules/(?!(kysely|commander)/)'],
  // Relative ESM-style specifiers ("./x.js") map to the TypeScript source.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testTimeout: 30000,
  setupFiles: [require('node:path').join(__dirname, 'tools/scripts/jest-fast-check-seed.cjs')],
  reporters: [
    'default',
    require('node:path').join(__dirname, 'tools/scripts/jest-summary-reporter.cjs'),
  ],
};
