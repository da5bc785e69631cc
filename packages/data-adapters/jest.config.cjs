/** @type {import('jest').Config} */
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'data-adapters',
  rootDir: __dirname,
};
