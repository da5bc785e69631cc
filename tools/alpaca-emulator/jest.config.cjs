/** @type {import('jest').Config} */
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'alpaca-emulator',
  rootDir: __dirname,
};
