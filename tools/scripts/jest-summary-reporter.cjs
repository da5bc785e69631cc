// Jest reporter: writes each project's test counts to reports/jest/<project>.json so that
// `npm test` can print one closing summary and check that every project ran real tests.
const { mkdirSync, writeFileSync } = require('node:fs');
const { basename, join } = require('node:path');

class JestSummaryReporter {
  constructor(globalConfig) {
    this.globalConfig = globalConfig;
  }

  onRunComplete(_contexts, results) {
    const project = basename(this.globalConfig.rootDir);
    const dir = join(__dirname, '..', '..', 'reports', 'jest');
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
