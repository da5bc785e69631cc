// Test-only helper: the argument a typed error names.
import { ValidationError } from '@quantpipe/core';

/** Runs `fn` and returns the ValidationError's argument name (fails if none is thrown). */
export function argumentOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof ValidationError) {
      expect(error.code).toBe('E_VALIDATION');
      return error.argument;
    }
    throw error;
  }
  throw new Error('expected a ValidationError');
}
