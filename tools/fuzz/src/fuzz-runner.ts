/**
 * Fuzz runner (a child process of the fuzz test): calls each named target with its fixed-seed
 * inputs and prints, for each call, `call <target> <index>` before it starts (the parent's
 * watchdog kills the process when a call does not return), then one `result <json>` line per
 * target (a {@link TargetResult}).
 *
 * Usage: node --conditions=@quantpipe/source --import tsx src/fuzz-runner.ts <target>...
 */
import { writeSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { isQuantpipeError } from '@quantpipe/core';
import fc from 'fast-check';
import { badNumberIn, describeArgs, hasExtremeNumber } from './check-output';
import { CALL_BOUND_MS, seedOf, type TargetResult } from './fuzz-config';
import { DEFAULT_RUNS, TARGETS, type FuzzTarget } from './targets';

/** Failures described per target (the count covers all of them). */
const DESCRIBED_FAILURES = 5;

/** The arguments of every call of a target, in order (the same on every run). */
export function inputsOf(target: FuzzTarget): readonly (readonly unknown[])[] {
  return fc.sample(target.args, {
    seed: seedOf(target.name),
    numRuns: target.runs ?? DEFAULT_RUNS,
  });
}

/**
 * Writes a line to stdout synchronously. stdout is a pipe to the parent, which may be slow to
 * read: a full pipe answers EAGAIN, and the write is retried until it goes through.
 */
function writeLine(line: string): void {
  const buffer = Buffer.from(`${line}\n`);
  let offset = 0;
  while (offset < buffer.length) {
    try {
      offset += writeSync(1, buffer, offset);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
    }
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message.slice(0, 200)}` : String(error);
}

function fuzz(target: FuzzTarget): TargetResult {
  const failures: string[] = [];
  let failureCount = 0;
  let typedErrors = 0;
  let maxCallMs = 0;
  const inputs = inputsOf(target);
  const fail = (index: number, args: readonly unknown[], problem: string): void => {
    failureCount++;
    if (failures.length < DESCRIBED_FAILURES)
      failures.push(`call ${index} (${describeArgs(args)}): ${problem}`);
  };
  inputs.forEach((args, index) => {
    writeLine(`call ${target.name} ${index}`);
    const started = performance.now();
    let output: unknown;
    let threw = false;
    try {
      output = target.call(args);
    } catch (error) {
      threw = true;
      if (isQuantpipeError(error)) typedErrors++;
      else fail(index, args, `untyped error ${errorText(error)}`);
    }
    const ms = performance.now() - started;
    maxCallMs = Math.max(maxCallMs, ms);
    if (ms > CALL_BOUND_MS)
      fail(index, args, `took ${ms.toFixed(0)} ms (bound ${CALL_BOUND_MS} ms)`);
    if (!threw) {
      const bad = badNumberIn(output, {
        nanAllowed: target.nanAllowed,
        ...(target.nanPaths === undefined ? {} : { nanPaths: target.nanPaths }),
        infinityAllowed: hasExtremeNumber(args, target.overflowFrom),
      });
      if (bad !== undefined) fail(index, args, `returned a non-finite number at ${bad}`);
    }
  });
  return {
    target: target.name,
    calls: inputs.length,
    typedErrors,
    failures,
    failureCount,
    maxCallMs,
  };
}

function main(): void {
  for (const name of process.argv.slice(2)) {
    const target = TARGETS.find((t) => t.name === name);
    if (target === undefined) throw new Error(`unknown fuzz target ${name}`);
    writeLine(`result ${JSON.stringify(fuzz(target))}`);
  }
}

main();
