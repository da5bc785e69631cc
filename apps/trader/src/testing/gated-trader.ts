// Test harness: the trader CLI, started ahead of time so its module loading overlaps with the
// previous run; it waits for one line on stdin, then runs `runCli` with its arguments exactly
// as src/main.ts does. Used by the crash test, which SIGKILLs it mid-rebalance.
import { createInterface } from 'node:readline';
import { runCli } from '../cli';

const lines = createInterface({ input: process.stdin });
lines.once('line', () => {
  lines.close();
  runCli(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    () => {
      process.exitCode = 1;
    },
  );
});
process.stdout.write('{"msg":"ready"}\n');
