/** @type {import('jest').Config} */
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'backtest-cli',
  rootDir: __dirname,
};
