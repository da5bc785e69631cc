import baseConfig, { noIoConfig } from '../../eslint.config.mjs';

export default [...baseConfig, ...noIoConfig];
