// Jest reporter: writes each project's test counts to reports/jest/<group>-<project>.json
// (packages-backtest, apps-backtest: two projects may share a folder name) so that `npm test`
// can print one closing summary and check that every project ran real tests.
const { mkdirSync, writeFileSync } = require('node:fs');
const { join, relative, sep } = require('node:path');

const root = join(__dirname, '..', '..');

class JestSummaryReporter {
  constructor(globalConfig) {
    this.globalConfig = globalConfig;
  }

  onRunComplete(_contexts, results) {
    const project = relative(root, this.globalConfig.rootDir).split(sep).join('-');
    const dir = join(root, 'reports', 'jest');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, `${project}.json`),
      JSON.stringify({
        project,
        rootDir: this.globalConfig.rootDir,
        passed: results.numPassedTests,
        failed: results.numFailedTests,
        skipped: results.numPendingTests + results.numTodoTests,
        total: results.numTotalTests,
        suites: results.numTotalTestSuites,
        suitesFailedToRun: results.numRuntimeErrorTestSuites,
      }) + '\n',
    );
  }
}

module.exports = JestSummaryReporter;
