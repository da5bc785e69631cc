import { ValidationError } from '@quantpipe/core';

/** The spec's category budgets (section 4.2). A category not listed has budget 1.0. */
export const DEFAULT_RISK_BUDGETS: Readonly<Record<string, number>> = Object.freeze({
  Momentum: 0.3,
  Carry: 0.25,
  Volatility: 0.2,
  TailRisk: 0.15,
  Beta: 0.1,
});

/** Options of {@link applyRiskBudgets}. */
export interface RiskBudgetOptions {
  /**
   * `false` (default): the spec's single pass — over-budget categories are scaled to their
   * budget once, then all weights are renormalised, so a category can end above its budget.
   * `true`: every category ends within its budget (see {@link applyRiskBudgets}).
   */
  readonly strict?: boolean;
}

function validateInputs(
  weights: Readonly<Record<string, number>>,
  categories: Readonly<Record<string, string>>,
  budgets: Readonly<Record<string, number>>,
): void {
  for (const [argument, value] of [
    ['weights', weights],
    ['categories', categories],
    ['budgets', budgets],
  ] as const) {
    if (value === null || typeof value !== 'object')
      throw new ValidationError(argument, 'expected an object keyed by name');
  }
  const names = Object.keys(weights);
  if (names.length === 0) throw new ValidationError('weights', 'expected at least one weight');
  for (const name of names) {
    const w = weights[name];
    if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) {
      throw new ValidationError(
        `weights.${name}`,
        `expected a finite number >= 0, got ${String(w)}`,
      );
    }
  }
  for (const [name, c] of Object.entries(categories)) {
    if (typeof c !== 'string')
      throw new ValidationError(`categories.${name}`, 'expected a category name');
  }
  for (const [category, b] of Object.entries(budgets)) {
    if (typeof b !== 'number' || !Number.isFinite(b) || b <= 0) {
      throw new ValidationError(
        `budgets.${category}`,
        `expected a finite number > 0, got ${String(b)}`,
      );
    }
  }
}

/**
 * The spec's `RiskBudgetAllocator.apply_risk_budgets` (section 4.2).
 *
 * Each signal belongs to `categories[signal]` (itself when absent); a category's budget is
 * `budgets[category]` (1.0 when absent).
 *
 * Default (spec, single pass): every category whose total weight exceeds its budget has its
 * weights scaled by `budget / total`; then all weights are divided by their sum. Quirk kept:
 * the renormalisation can push a category back above its budget (e.g. Volatility 0.444).
 *
 * `strict`: the fixed point of repeating that pass, computed exactly — categories are capped at
 * their budget, and the rest of the unit mass is spread over the other categories in proportion
 * to their input totals; any category that then exceeds its budget is capped too, until none
 * does. Within a category, weights keep their input proportions. The result sums to 1 and every
 * category total is <= its budget (within 1e-12).
 *
 * @param weights weight per signal (finite, >= 0, not all zero); key order is kept.
 * @param categories category per signal.
 * @param budgets budget per category (finite, > 0); defaults to the spec's.
 * @throws ValidationError for bad weights or budgets, all-zero weights, or (strict) budgets that
 *   cannot hold: the budgets of the categories present sum to less than 1, or the mass left
 *   over must go to categories whose weights are all zero.
 */
export function applyRiskBudgets(
  weights: Readonly<Record<string, number>>,
  categories: Readonly<Record<string, string>> = {},
  budgets: Readonly<Record<string, number>> = DEFAULT_RISK_BUDGETS,
  options: RiskBudgetOptions = {},
): Record<string, number> {
  validateInputs(weights, categories, budgets);
  const names = Object.keys(weights);
  if (options.strict === true) {
    const categoryOf = (signal: string): string => categories[signal] ?? signal;
    const budgetOf = (category: string): number => budgets[category] ?? 1.0;
    // Category totals in first-seen order, as the seed's dict.
    const totals = new Map<string, number>();
    for (const name of names) {
      const c = categoryOf(name);
      totals.set(c, (totals.get(c) ?? 0) + (weights[name] as number));
    }
    return strictBudgets(weights, names, categoryOf, budgetOf, totals);
  }
  const prepared = indexCategories(names, categories, budgets);
  const out = applyPreparedRiskBudgets(
    prepared,
    names.map((name) => weights[name] as number),
    new Float64Array(names.length),
  );
  const result: Record<string, number> = {};
  names.forEach((name, i) => (result[name] = out[i] as number));
  return result;
}

/** The signals' categories and budgets as indices, for {@link applyPreparedRiskBudgets}. */
export interface PreparedRiskBudgets {
  /** Signal names, in the order of the weights. */
  readonly names: readonly string[];
  /** Category index of each signal (categories numbered in first-seen order). */
  readonly categoryOf: Int32Array;
  /** Budget of each category. */
  readonly budgetOf: Float64Array;
}

/**
 * Resolves categories (a signal's own name when absent) and budgets (1.0 when absent) once,
 * for callers that apply the same budgets many times.
 * @throws ValidationError for a bad category or budget.
 */
export function prepareRiskBudgets(
  names: readonly string[],
  categories: Readonly<Record<string, string>> = {},
  budgets: Readonly<Record<string, number>> = DEFAULT_RISK_BUDGETS,
): PreparedRiskBudgets {
  validateInputs(Object.fromEntries(names.map((n) => [n, 0])), categories, budgets);
  return indexCategories(names, categories, budgets);
}

function indexCategories(
  names: readonly string[],
  categories: Readonly<Record<string, string>>,
  budgets: Readonly<Record<string, number>>,
): PreparedRiskBudgets {
  const index = new Map<string, number>();
  const budgetList: number[] = [];
  const categoryOf = new Int32Array(names.length);
  names.forEach((name, i) => {
    const c = categories[name] ?? name;
    let at = index.get(c);
    if (at === undefined) {
      at = budgetList.length;
      index.set(c, at);
      budgetList.push(budgets[c] ?? 1.0);
    }
    categoryOf[i] = at;
  });
  return { names, categoryOf, budgetOf: Float64Array.from(budgetList) };
}

/**
 * The spec's single pass of {@link applyRiskBudgets} on weights in the order of
 * `prepared.names`, into `out` (the same arithmetic, so the same bits): every category whose
 * total exceeds its budget is scaled by `budget / total`, then all weights are divided by their
 * sum.
 * @throws ValidationError for a weight that is not finite and >= 0, or all weights zero.
 */
export function applyPreparedRiskBudgets(
  prepared: PreparedRiskBudgets,
  weights: ArrayLike<number>,
  out: Float64Array,
): Float64Array {
  const { names, categoryOf, budgetOf } = prepared;
  const n = names.length;
  if (weights.length !== n)
    throw new ValidationError('weights', `expected ${n} weights, got ${weights.length}`);
  const totals = new Float64Array(budgetOf.length);
  for (let i = 0; i < n; i++) {
    const w = weights[i];
    if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) {
      throw new ValidationError(
        `weights.${names[i]}`,
        `expected a finite number >= 0, got ${String(w)}`,
      );
    }
    const c = categoryOf[i] as number;
    totals[c] = (totals[c] as number) + w;
  }
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const c = categoryOf[i] as number;
    const total = totals[c] as number;
    const budget = budgetOf[c] as number;
    const w = weights[i] as number;
    const scaled = total > budget ? w * (budget / total) : w;
    out[i] = scaled;
    sum += scaled;
  }
  if (!(sum > 0)) throw new ValidationError('weights', 'all weights are zero');
  for (let i = 0; i < n; i++) out[i] = (out[i] as number) / sum;
  return out;
}

function strictBudgets(
  weights: Readonly<Record<string, number>>,
  names: readonly string[],
  categoryOf: (signal: string) => string,
  budgetOf: (category: string) => number,
  totals: ReadonlyMap<string, number>,
): Record<string, number> {
  let budgetSum = 0;
  for (const c of totals.keys()) budgetSum += budgetOf(c);
  if (budgetSum < 1 - 1e-12) {
    throw new ValidationError(
      'budgets',
      `infeasible: the budgets of the categories present (${[...totals.keys()].join(', ')}) sum to ${budgetSum} < 1`,
    );
  }
  const capped = new Set<string>();
  const targetTotal = new Map<string, number>();
  for (;;) {
    let cappedMass = 0;
    for (const c of capped) cappedMass += budgetOf(c);
    const remaining = 1 - cappedMass;
    let freeTotal = 0;
    for (const [c, t] of totals) if (!capped.has(c)) freeTotal += t;
    if (freeTotal <= 0) {
      if (remaining > 1e-12) {
        throw new ValidationError(
          'budgets',
          `infeasible: ${remaining} of the weight must go to categories whose weights are all zero`,
        );
      }
      break;
    }
    let newlyCapped = false;
    for (const [c, t] of totals) {
      if (capped.has(c)) continue;
      const share = (t / freeTotal) * remaining;
      if (share > budgetOf(c)) {
        capped.add(c);
        newlyCapped = true;
      } else targetTotal.set(c, share);
    }
    if (!newlyCapped) break;
  }
  for (const c of capped) targetTotal.set(c, budgetOf(c));
  const out: Record<string, number> = {};
  for (const name of names) {
    const c = categoryOf(name);
    const total = totals.get(c) as number;
    out[name] =
      total > 0 ? ((weights[name] as number) / total) * (targetTotal.get(c) as number) : 0;
  }
  return out;
}
