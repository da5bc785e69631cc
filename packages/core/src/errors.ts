/**
 * Every error quantpipe throws on purpose is a {@link QuantpipeError}: it carries a stable
 * machine-readable `code`, a message written for a person, and the context needed to act on it.
 */

/** Stable error codes. Match on these, not on messages. */
export type ErrorCode =
  | 'E_VALIDATION'
  | 'E_DATA'
  | 'E_CONFIG'
  | 'E_NOT_FOUND'
  | 'E_BROKER'
  | 'E_ORDER_REJECTED'
  | 'E_RISK'
  | 'E_STORAGE'
  | 'E_TIMEOUT'
  | 'E_STATE';

/** Structured details attached to an error (argument names, symbols, limits, …). */
export type ErrorContext = Readonly<Record<string, unknown>>;

export interface QuantpipeErrorOptions {
  /** The underlying error, when this one wraps another. */
  readonly cause?: unknown;
  /** Structured details for logs and callers. */
  readonly context?: ErrorContext;
}

/**
 * The brand every quantpipe error carries, in the global symbol registry: an application that
 * loads both the ESM and the CommonJS build of a package has two copies of each error class,
 * and the brand is what both copies share.
 */
const ERROR_BRAND: unique symbol = Symbol.for('@quantpipe/core.QuantpipeError') as never;

function isBranded(value: unknown): value is QuantpipeError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { [ERROR_BRAND]?: unknown })[ERROR_BRAND] === true
  );
}

/** Whether a branded error's class chain has a class named `name` (in any copy). */
function hasClassNamed(value: object, name: string): boolean {
  for (let p: unknown = Object.getPrototypeOf(value); p !== null; p = Object.getPrototypeOf(p)) {
    const ctor = (p as { constructor?: { name?: unknown } }).constructor;
    if (ctor?.name === name) return true;
  }
  return false;
}

/**
 * Base class of every typed quantpipe error. `instanceof` works across the ESM and CommonJS
 * copies of a package: an error of either copy is an instance of the classes of both (by its
 * brand and its class names), so `error instanceof ValidationError` and
 * {@link isQuantpipeError} hold whichever build threw it.
 */
export class QuantpipeError extends Error {
  /** Stable machine-readable code. */
  readonly code: ErrorCode;
  /** Structured details (never secrets). */
  readonly context: ErrorContext;

  constructor(code: ErrorCode, message: string, options: QuantpipeErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.context = options.context ?? {};
    Object.defineProperty(this, ERROR_BRAND, { value: true });
  }

  /** `value instanceof` this class, or the same-named class of another copy of the package. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (Function.prototype[Symbol.hasInstance].call(this, value)) return true;
    return isBranded(value) && hasClassNamed(value, this.name);
  }
}

/** An argument given to a public function is invalid. `argument` names it. */
export class ValidationError extends QuantpipeError {
  readonly argument: string;
  constructor(argument: string, message: string, options: QuantpipeErrorOptions = {}) {
    super('E_VALIDATION', `${argument}: ${message}`, {
      ...options,
      context: { argument, ...options.context },
    });
    this.argument = argument;
  }
}

/** Market data is unusable: non-finite or negative prices, missing or unordered bars. */
export class DataError extends QuantpipeError {
  constructor(message: string, options: QuantpipeErrorOptions = {}) {
    super('E_DATA', message, options);
  }
}

/** A configuration value is missing, of the wrong type or out of range. `key` names it. */
export class ConfigError extends QuantpipeError {
  readonly key: string;
  constructor(key: string, message: string, options: QuantpipeErrorOptions = {}) {
    super('E_CONFIG', `${key}: ${message}`, { ...options, context: { key, ...options.context } });
    this.key = key;
  }
}

/** Something asked for does not exist (an unknown symbol, order or run). */
export class NotFoundError extends QuantpipeError {
  constructor(message: string, options: QuantpipeErrorOptions = {}) {
    super('E_NOT_FOUND', message, options);
  }
}

/** Why a broker call failed, as far as the caller needs to know to decide what to do next. */
export type BrokerErrorKind =
  | 'auth'
  | 'permission'
  | 'rate_limit'
  | 'not_found'
  | 'connection'
  | 'timeout'
  | 'insufficient_buying_power'
  | 'market_closed'
  | 'bad_request'
  | 'server'
  | 'unknown';

export interface BrokerErrorOptions extends QuantpipeErrorOptions {
  /** Which venue answered (e.g. "alpaca", "ibkr", "sim"). */
  readonly venue?: string;
  /** HTTP status or venue error code, when there is one. */
  readonly status?: number;
  /** Milliseconds the venue asked us to wait before retrying, if it said. */
  readonly retryAfterMs?: number;
}

/** A broker or data-vendor call failed after its retries. */
export class BrokerError extends QuantpipeError {
  readonly kind: BrokerErrorKind;
  readonly venue: string | undefined;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;
  constructor(kind: BrokerErrorKind, message: string, options: BrokerErrorOptions = {}) {
    super('E_BROKER', message, {
      ...options,
      context: { kind, venue: options.venue, status: options.status, ...options.context },
    });
    this.kind = kind;
    this.venue = options.venue;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
  }

  /** Whether retrying the same call later may succeed. */
  get retryable(): boolean {
    return (
      this.kind === 'rate_limit' ||
      this.kind === 'connection' ||
      this.kind === 'timeout' ||
      this.kind === 'server'
    );
  }

  /**
   * Whether the venue refused the request itself (no buying power, market closed, a request it
   * will not take, no permission) rather than failing to answer: sending it again cannot help.
   */
  get refusesOrder(): boolean {
    return (
      this.kind === 'insufficient_buying_power' ||
      this.kind === 'market_closed' ||
      this.kind === 'bad_request' ||
      this.kind === 'permission'
    );
  }
}

/** The venue (or a pre-trade check) refused an order. */
export class OrderRejectedError extends QuantpipeError {
  readonly clientOrderId: string;
  readonly reason: string;
  constructor(clientOrderId: string, reason: string, options: QuantpipeErrorOptions = {}) {
    super('E_ORDER_REJECTED', `order ${clientOrderId} rejected: ${reason}`, {
      ...options,
      context: { clientOrderId, reason, ...options.context },
    });
    this.clientOrderId = clientOrderId;
    this.reason = reason;
  }
}

/** A risk limit or the kill switch blocks the requested action. */
export class RiskBreachError extends QuantpipeError {
  constructor(message: string, options: QuantpipeErrorOptions = {}) {
    super('E_RISK', message, options);
  }
}

/** The database refused a write or read (constraint, schema version, connection). */
export class StorageError extends QuantpipeError {
  constructor(message: string, options: QuantpipeErrorOptions = {}) {
    super('E_STORAGE', message, options);
  }
}

/** Waiting for something (a fill, a reply, a bar) took longer than allowed. */
export class TimeoutError extends QuantpipeError {
  constructor(message: string, options: QuantpipeErrorOptions = {}) {
    super('E_TIMEOUT', message, options);
  }
}

/** Persisted or in-memory state is inconsistent (e.g. broker and journal disagree). */
export class StateError extends QuantpipeError {
  constructor(message: string, options: QuantpipeErrorOptions = {}) {
    super('E_STATE', message, options);
  }
}

/**
 * Type guard for any quantpipe error, optionally of one code. It checks the brand, so it holds
 * for an error of any copy of the package (ESM or CommonJS build).
 */
export function isQuantpipeError(error: unknown, code?: ErrorCode): error is QuantpipeError {
  return isBranded(error) && (code === undefined || error.code === code);
}

/**
 * Whether an error from submitting an order means the venue refused that order (an
 * {@link OrderRejectedError}, or a {@link BrokerError} that {@link BrokerError.refusesOrder}),
 * as opposed to a transport problem after which the order's fate is unknown.
 */
export function isOrderRefusal(error: unknown): boolean {
  return (
    error instanceof OrderRejectedError || (error instanceof BrokerError && error.refusesOrder)
  );
}
