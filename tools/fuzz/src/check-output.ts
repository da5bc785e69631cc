/**
 * What a fuzzed call may return: numbers that are finite, or NaN where the API documents NaN.
 * ±Infinity is accepted only when an input held ±Infinity or a magnitude from which IEEE
 * arithmetic overflows (a product or sum of squares of 1e150, a division by 1e-150): that is
 * arithmetic, not a defect.
 */

/** Input magnitudes that may overflow a result: at least `above`, or nonzero below 1e-150. */
export interface OverflowFrom {
  /** Default 1e150. */
  readonly above?: number;
  /** Whether a 0 input may divide (default false). */
  readonly zeroDivides?: boolean;
}

/** Whether any number reachable in `value` is non-finite or of overflow-prone magnitude. */
export function hasExtremeNumber(
  value: unknown,
  from: OverflowFrom = {},
  seen = new Set<unknown>(),
): boolean {
  if (typeof value === 'number') {
    const size = Math.abs(value);
    return (
      !Number.isFinite(value) ||
      size >= (from.above ?? 1e150) ||
      (size > 0 && size <= 1e-150) ||
      (size === 0 && from.zeroDivides === true)
    );
  }
  if (value === null || typeof value !== 'object' || seen.has(value)) return false;
  seen.add(value);
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    const items = value as unknown as ArrayLike<number>;
    for (let i = 0; i < items.length; i++) if (hasExtremeNumber(items[i], from, seen)) return true;
    return false;
  }
  for (const item of Object.values(value)) if (hasExtremeNumber(item, from, seen)) return true;
  return false;
}

/**
 * The first number in `output` that breaks the contract, as a path and value
 * (`"[3]: Infinity"`), or undefined when every number is acceptable.
 */
export function badNumberIn(
  output: unknown,
  options: {
    readonly nanAllowed: boolean;
    readonly nanPaths?: RegExp;
    readonly infinityAllowed: boolean;
  },
  path = '',
  seen = new Set<unknown>(),
): string | undefined {
  if (typeof output === 'number') {
    if (Number.isFinite(output)) return undefined;
    if (Number.isNaN(output))
      return options.nanAllowed || options.nanPaths?.test(path) === true
        ? undefined
        : `${path || '(result)'}: NaN`;
    return options.infinityAllowed ? undefined : `${path || '(result)'}: ${String(output)}`;
  }
  if (output === null || typeof output !== 'object' || seen.has(output)) return undefined;
  seen.add(output);
  if (ArrayBuffer.isView(output) && !(output instanceof DataView)) {
    const items = output as unknown as ArrayLike<number>;
    for (let i = 0; i < items.length; i++) {
      const bad = badNumberIn(items[i], options, `${path}[${i}]`, seen);
      if (bad !== undefined) return bad;
    }
    return undefined;
  }
  for (const [key, item] of Object.entries(output)) {
    const bad = badNumberIn(
      item,
      options,
      Array.isArray(output) ? `${path}[${key}]` : `${path}.${key}`,
      seen,
    );
    if (bad !== undefined) return bad;
  }
  return undefined;
}

/** A short description of call arguments for a failure report. */
export function describeArgs(args: readonly unknown[]): string {
  return args.map((a) => describeValue(a, 0)).join(', ');
}

function describeValue(value: unknown, depth: number): string {
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (typeof value === 'string')
    return JSON.stringify(value.length > 30 ? `${value.slice(0, 30)}…` : value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'function') return 'function';
  if (value === null || typeof value !== 'object') return String(value);
  if (depth > 2) return '…';
  if (ArrayBuffer.isView(value) || Array.isArray(value)) {
    const items = Array.from(value as unknown as ArrayLike<unknown>);
    const head = items.slice(0, 6).map((x) => describeValue(x, depth + 1));
    const kind = Array.isArray(value) ? '' : value.constructor.name;
    return `${kind}[${head.join(', ')}${items.length > 6 ? `, … (${items.length})` : ''}]`;
  }
  const entries = Object.entries(value).slice(0, 8);
  return `{${entries.map(([k, v]) => `${k}: ${describeValue(v, depth + 1)}`).join(', ')}}`;
}
