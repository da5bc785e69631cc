/** What an injected fault does to a request. */
export type FaultKind =
  /** 429 with Retry-After and X-RateLimit-* headers. */
  | 'rate_limit'
  /** A 5xx status (500 by default, `status` to choose). */
  | 'server_error'
  /** 403 {"code":40310000,"message":"insufficient buying power"}. */
  | 'insufficient_buying_power'
  /** The answer is delayed by `delayMs`, then served normally. */
  | 'slow'
  /** The socket is destroyed without an answer. */
  | 'drop'
  /** The request is carried out (an order is placed), then the socket is destroyed: a lost answer. */
  | 'drop_after';

/** One fault rule: applies to the next `count` matching requests, after skipping `skip`. */
export interface FaultRule {
  readonly kind: FaultKind;
  /** How many matching requests get the fault. Default 1. */
  readonly count?: number;
  /** Matching requests to let through before the fault starts. Default 0. */
  readonly skip?: number;
  /** Only requests whose path starts with this (e.g. `/v2/stocks`, `/v2/orders`). */
  readonly pathPrefix?: string;
  /** Only requests with this method. */
  readonly method?: string;
  /** `rate_limit`: the Retry-After header in seconds. Default 1. */
  readonly retryAfterSeconds?: number;
  /** `server_error`: the status. Default 500. */
  readonly status?: number;
  /** `slow`: the delay. Default 2000 ms. */
  readonly delayMs?: number;
}

interface ActiveRule {
  readonly rule: FaultRule;
  skipLeft: number;
  countLeft: number;
}

const KINDS: readonly FaultKind[] = [
  'rate_limit',
  'server_error',
  'insufficient_buying_power',
  'slow',
  'drop',
  'drop_after',
];

/** Checks a rule from JSON or the command line; throws a RangeError naming the problem. */
export function validateFaultRule(value: unknown): FaultRule {
  if (typeof value !== 'object' || value === null)
    throw new RangeError('a fault must be an object');
  const rule = value as Record<string, unknown>;
  if (!KINDS.includes(rule['kind'] as FaultKind)) {
    throw new RangeError(
      `fault kind must be one of ${KINDS.join(', ')}, got ${JSON.stringify(rule['kind'])}`,
    );
  }
  for (const key of ['count', 'skip', 'retryAfterSeconds', 'status', 'delayMs']) {
    const v = rule[key];
    if (v !== undefined && !(typeof v === 'number' && Number.isInteger(v) && v >= 0)) {
      throw new RangeError(`fault ${key} must be an integer >= 0, got ${JSON.stringify(v)}`);
    }
  }
  for (const key of ['pathPrefix', 'method']) {
    if (rule[key] !== undefined && typeof rule[key] !== 'string')
      throw new RangeError(`fault ${key} must be a string`);
  }
  return rule as unknown as FaultRule;
}

/** Parses the CLI form `kind[:count[:pathPrefix]]`, e.g. `rate_limit:5:/v2/stocks`. */
export function parseFaultSpec(spec: string): FaultRule {
  const [kind, count, pathPrefix] = spec.split(':');
  return validateFaultRule({
    kind,
    count: count === undefined || count === '' ? 1 : Number(count),
    ...(pathPrefix ? { pathPrefix } : {}),
  });
}

/** The faults waiting to be injected, consumed request by request in insertion order. */
export class FaultPlan {
  private rules: ActiveRule[] = [];

  add(rule: FaultRule): void {
    this.rules.push({ rule, skipLeft: rule.skip ?? 0, countLeft: rule.count ?? 1 });
  }

  clear(): void {
    this.rules = [];
  }

  /** Rules still pending. */
  pending(): FaultRule[] {
    return this.rules.map((r) => ({ ...r.rule, count: r.countLeft, skip: r.skipLeft }));
  }

  /** The fault for this request, if one applies (and consumes it). */
  take(method: string, path: string): FaultRule | undefined {
    for (const active of this.rules) {
      const { rule } = active;
      if (rule.method !== undefined && rule.method.toUpperCase() !== method) continue;
      if (rule.pathPrefix !== undefined && !path.startsWith(rule.pathPrefix)) continue;
      if (active.skipLeft > 0) {
        active.skipLeft--;
        continue;
      }
      active.countLeft--;
      if (active.countLeft <= 0) this.rules = this.rules.filter((r) => r !== active);
      return rule;
    }
    return undefined;
  }
}
