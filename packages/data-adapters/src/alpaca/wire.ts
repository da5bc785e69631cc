import { DataError } from '@quantpipe/core';

/** Reads an object returned by Alpaca, or throws a DataError naming what was expected. */
export function asRecord(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new DataError(
      `alpaca returned an unexpected ${what}: ${JSON.stringify(value)?.slice(0, 200)}`,
    );
  }
  return value as Record<string, unknown>;
}

/** Reads an array returned by Alpaca. */
export function asArray(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) {
    throw new DataError(
      `alpaca returned an unexpected ${what}: ${JSON.stringify(value)?.slice(0, 200)}`,
    );
  }
  return value;
}

/** A decimal string (or number) field as a finite number; DataError otherwise. */
export function num(record: Record<string, unknown>, field: string, what: string): number {
  const raw = record[field];
  const value =
    typeof raw === 'number'
      ? raw
      : typeof raw === 'string' && raw.trim() !== ''
        ? Number(raw)
        : Number.NaN;
  if (!Number.isFinite(value)) {
    throw new DataError(`alpaca ${what}: field ${field} is not a number: ${JSON.stringify(raw)}`, {
      context: { field },
    });
  }
  return value;
}

/** An optional numeric field: undefined when null or absent. */
export function optNum(
  record: Record<string, unknown>,
  field: string,
  what: string,
): number | undefined {
  const raw = record[field];
  return raw === null || raw === undefined || raw === '' ? undefined : num(record, field, what);
}

/** A string field; DataError when missing. */
export function str(record: Record<string, unknown>, field: string, what: string): string {
  const raw = record[field];
  if (typeof raw !== 'string' || raw === '') {
    throw new DataError(`alpaca ${what}: field ${field} is missing`, { context: { field } });
  }
  return raw;
}

/** An instant field as ISO-8601 UTC (`...Z`, milliseconds kept when present). */
export function instant(record: Record<string, unknown>, field: string, what: string): string {
  const raw = str(record, field, what);
  const ms = Date.parse(raw);
  if (Number.isNaN(ms))
    throw new DataError(`alpaca ${what}: field ${field} is not a timestamp: ${raw}`);
  return new Date(ms).toISOString();
}
