/** The trader's version (`trader --version`); a test keeps it equal to package.json's. */
export const TRADER_VERSION = '0.1.0';
