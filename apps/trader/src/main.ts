#!/usr/bin/env node
// Entry of the `trader` command (see ./cli.ts).
import { runCli } from './cli';

runCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`trader: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
