/**
 * Rows per statement for the bulk writes (at most 16 parameters a row: well under SQLite's
 * 32,766 and PostgreSQL's 65,535 bound parameters).
 */
export const IMPORT_ROWS_PER_STATEMENT = 500;

/** `items` in consecutive slices of at most `size`. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += size)
    out.push(items.slice(start, start + size));
  return out;
}
