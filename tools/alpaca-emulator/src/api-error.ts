/** An error answer in Alpaca's shape: `{"code": 40010001, "message": "..."}` with an HTTP status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Money and quantities as Alpaca writes them: decimal strings, float noise removed. */
export function money(value: number): string {
  return String(Number(value.toFixed(6)));
}

/** ISO-8601 UTC with milliseconds. */
export function iso(ms: number): string {
  return new Date(ms).toISOString();
}
