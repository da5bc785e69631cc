import { QuantpipeError, StorageError } from '@quantpipe/core';
import { typedDriverError } from './open-errors';

/** Whether a driver error is a primary-key or unique-constraint violation (either engine). */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  return (
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
    code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    code === '23505' // PostgreSQL unique_violation
  );
}

/**
 * Passes typed quantpipe errors through and wraps anything else (a driver error) in a
 * {@link StorageError} naming the operation, with the original as `cause` — a corrupt file,
 * a full disk or a read-only database in their own subclasses (see open-errors.ts).
 */
export function toStorageError(operation: string, error: unknown): QuantpipeError {
  if (error instanceof QuantpipeError) return error;
  const typed = typedDriverError(operation, error);
  if (typed !== undefined) return typed;
  const message = error instanceof Error ? error.message : String(error);
  const code =
    typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return new StorageError(`${operation} failed: ${message}`, {
    cause: error,
    context: { operation, driverCode: code },
  });
}
