import type { BacktestResult } from '../result/backtest-result';
import { recordColumns } from '../result/decision-columns';
import type { DecisionRecords } from '../result/decision-records';
import { TableDecisionLog } from '../result/table-decision-log';

/** One signal's share of the composite and of the P&L over a run. */
export interface SignalAttribution {
  readonly signal: string;
  /** Mean contribution to the daily composite over the decided (decision, symbol) entries. */
  readonly meanContribution: number;
  /** Σ |contribution| of this signal over Σ |contribution| of all signals (0..1). */
  readonly absoluteShare: number;
  /** Holding P&L attributed to the signal, USD. */
  readonly pnlUsd: number;
}

/** The cumulative attributed P&L of each signal at one session (for the report chart). */
export interface AttributionPoint {
  readonly date: string;
  /** Cumulative P&L by signal name, USD (the hourly part under `Hourly`). */
  readonly cumulativePnlUsd: Readonly<Record<string, number>>;
}

/**
 * The spec's `pnl_attribution`: which signal drives the book. Each holding's P&L — the shares
 * held between two decisions of a symbol times the change of its close between them — is
 * split over the signals in proportion to their contributions to the composite that set the
 * position (`contribution_k / composite`; contributions sum to the daily composite, so the
 * shares sum to one; the hybrid's hourly part goes to `hourlyPnlUsd`). What the close-to-close
 * holding P&L leaves out — fills at the next open rather than the close, the tail hedge — is
 * `metrics.pnlAttribution.residualUsd`, the run's gross P&L minus the holding P&L.
 */
export interface PnlAttribution {
  /** How the P&L is split, in words. */
  readonly method: string;
  readonly signals: readonly SignalAttribution[];
  /** P&L of the hybrid's hourly share of the composite (0 without the hybrid). */
  readonly hourlyPnlUsd: number;
  /** Holding P&L of positions whose composite was 0 or not finite (cannot be split). */
  readonly unattributedPnlUsd: number;
  /** Σ holding P&L (signals + hourly + unattributed). */
  readonly holdingPnlUsd: number;
  /** Cumulative attributed P&L per signal, one point per decision date. */
  readonly series: readonly AttributionPoint[];
}

/** The key of the hybrid's hourly share in {@link AttributionPoint}. */
export const HOURLY_BUCKET = 'Hourly';

const METHOD =
  'holding P&L (shares held between two decisions × change of close) split by contribution / composite';

/**
 * Per-signal attribution of a run's decisions (see {@link PnlAttribution}); `undefined` when
 * the decisions carry no contributions (a strategy that does not report them).
 */
export function computePnlAttribution(
  decisions: DecisionRecords,
  signalNames: readonly string[],
): PnlAttribution | undefined {
  const K = signalNames.length;
  if (K === 0 || decisions.length === 0) return undefined;
  const rows =
    (decisions instanceof TableDecisionLog ? decisions.columns(signalNames) : undefined) ??
    recordColumns(decisions, signalNames);
  rows.select(0);
  if (!rows.hasContributions()) return undefined;
  const contributionSums = new Float64Array(K);
  const absoluteSums = new Float64Array(K);
  const pnl = new Float64Array(K);
  let entries = 0;
  let hourly = 0;
  let unattributed = 0;
  // Per symbol (dense index), what its previous decision set: close, composite, contributions.
  const seen: boolean[] = [];
  const lastPriceUsd: number[] = [];
  const lastComposite: number[] = [];
  const lastHasContributions: boolean[] = [];
  const lastContributions: number[] = [];
  const series: AttributionPoint[] = [];
  let date = '';
  const point = (): void => {
    const cumulativePnlUsd: Record<string, number> = {};
    signalNames.forEach((name, k) => (cumulativePnlUsd[name] = pnl[k] as number));
    cumulativePnlUsd[HOURLY_BUCKET] = hourly;
    const p = { date, cumulativePnlUsd };
    if (series.length > 0 && series[series.length - 1]?.date === date)
      series[series.length - 1] = p;
    else series.push(p);
  };
  for (let row = 0; row < rows.length; row++) {
    rows.select(row);
    const rowDate = rows.date();
    if (date !== '' && rowDate !== date) point();
    date = rowDate;
    const hasContributions = rows.hasContributions();
    if (hasContributions) {
      entries++;
      for (let k = 0; k < K; k++) {
        const x = rows.contribution(k);
        if (Number.isFinite(x)) {
          contributionSums[k] = (contributionSums[k] as number) + x;
          absoluteSums[k] = (absoluteSums[k] as number) + Math.abs(x);
        }
      }
    }
    const s = rows.symbolIndex();
    const priceUsd = rows.priceUsd();
    if (seen[s] === true) {
      // The shares held since the previous decision, marked from its close to this one's.
      const held = rows.currentShares() * (priceUsd - (lastPriceUsd[s] as number));
      if (Number.isFinite(held) && held !== 0) {
        const composite = lastComposite[s] as number;
        if (lastHasContributions[s] !== true || !Number.isFinite(composite) || composite === 0) {
          unattributed += held;
        } else {
          let daily = 0;
          for (let k = 0; k < K; k++) {
            const x = lastContributions[s * K + k] as number;
            daily += x;
            pnl[k] = (pnl[k] as number) + (held * x) / composite;
          }
          hourly += (held * (composite - daily)) / composite;
        }
      }
    }
    seen[s] = true;
    lastPriceUsd[s] = priceUsd;
    lastComposite[s] = rows.composite();
    lastHasContributions[s] = hasContributions;
    for (let k = 0; k < K; k++)
      lastContributions[s * K + k] = hasContributions ? rows.contribution(k) : 0;
  }
  if (date !== '') point();
  let totalAbsolute = 0;
  for (let k = 0; k < K; k++) totalAbsolute += absoluteSums[k] as number;
  let holding = hourly + unattributed;
  for (let k = 0; k < K; k++) holding += pnl[k] as number;
  return {
    method: METHOD,
    signals: signalNames.map((signal, k) => ({
      signal,
      meanContribution: entries > 0 ? (contributionSums[k] as number) / entries : 0,
      absoluteShare: totalAbsolute > 0 ? (absoluteSums[k] as number) / totalAbsolute : 0,
      pnlUsd: pnl[k] as number,
    })),
    hourlyPnlUsd: hourly,
    unattributedPnlUsd: unattributed,
    holdingPnlUsd: holding,
    series,
  };
}

/**
 * Attributions already computed, by decision log: the metrics and the report of one run both
 * ask for it, and it walks every decision. The run's logs only grow, so one is reused while the
 * log holds as many decisions; a plain array (which may be edited in place) is not cached.
 */
const computed = new WeakMap<
  DecisionRecords,
  { readonly length: number; readonly attribution: PnlAttribution | undefined }
>();

/** The attribution of a run's decisions, over the signals of its first decision. */
export function runPnlAttribution(result: BacktestResult): PnlAttribution | undefined {
  const decisions = result.decisions;
  const hit = computed.get(decisions);
  if (hit !== undefined && hit.length === decisions.length) return hit.attribution;
  const names = decisions.length > 0 ? Object.keys(decisions.at(0).signals) : [];
  const attribution = computePnlAttribution(decisions, names);
  if (!Array.isArray(decisions)) computed.set(decisions, { length: decisions.length, attribution });
  return attribution;
}
