import type { Journal, JournalEntry, JsonValue, Logger, Strategy } from '@quantpipe/core';
import type { HedgeStep } from '../core/hedge-step';
import type { RiskGate } from '../core/risk-gate';
import type { SizingStep } from '../core/sizing-step';
import type { LegPayload } from './order-submitter';
import {
  STATE_DECAY,
  STATE_ENGINE,
  STATE_HEDGE,
  STATE_KILL,
  STATE_RISK,
  STATE_STRATEGY,
  type StateStore,
} from './state-store';

/** What a restart found in the journal. */
export interface RecoveredRun {
  /** Signed shares the journal expects the broker to hold (null for a fresh run). */
  readonly expectedPositions: Record<string, number> | null;
  /** The last cycle number used. */
  readonly lastCycle: number;
  /** The last completed cycle (0 for a fresh run). */
  readonly lastCompletedCycle: number;
  /** The decision of a cycle a crash interrupted (journaled, never completed). */
  readonly interrupted: JournalEntry | undefined;
}

function asObject(value: JsonValue | undefined): Record<string, JsonValue> | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
}

/** The legs journaled in a decision entry. */
export function legsOf(decision: JournalEntry): LegPayload[] {
  const payload = asObject(decision.payload);
  const legs = payload?.['legs'];
  return Array.isArray(legs) ? (legs as unknown as LegPayload[]) : [];
}

/**
 * Adopts the kill switch state stored in the journal when it differs from what this engine
 * last saw (e.g. `trader kill` / `trader resume` from another process).
 */
export async function adoptStoredKillSwitch(store: StateStore, gate: RiskGate): Promise<void> {
  const raw = await store.load(STATE_KILL);
  if (raw === undefined || store.isCurrent(STATE_KILL, raw)) return;
  gate.adoptKillSwitch(raw);
  store.adopt(STATE_KILL, raw);
}

/**
 * Restores a run's state from the journal on start (journal first: the state a crash left is
 * the state the restart resumes): the risk monitor's peaks, the kill switch, the tail hedge,
 * the strategy's and the position decay's state, the last cycle, and the decision of a cycle
 * that a crash interrupted. Unreadable parts start fresh, with a warning.
 */
export async function restoreRun(parts: {
  readonly journal: Journal;
  readonly runId: string;
  readonly store: StateStore;
  readonly gate: RiskGate;
  readonly hedge: HedgeStep;
  readonly sizing: SizingStep;
  readonly strategy: Strategy;
  readonly logger: Logger;
}): Promise<RecoveredRun> {
  const { journal, runId, store, gate, hedge, sizing, strategy, logger } = parts;
  const engineState = asObject(await store.load(STATE_ENGINE));
  let expectedPositions: Record<string, number> | null = null;
  if (engineState) {
    const expected = asObject(engineState['expectedPositions']);
    expectedPositions = expected ? (expected as Record<string, number>) : null;
    const acknowledged = engineState['lossesAcknowledgedAt'];
    gate.lossesAcknowledgedAt = typeof acknowledged === 'string' ? acknowledged : null;
  }
  await adoptStoredKillSwitch(store, gate);
  const riskProblem = gate.restoreMonitor(await store.load(STATE_RISK));
  if (riskProblem !== undefined)
    logger.warn({ err: riskProblem }, 'risk monitor state unreadable; starting fresh');
  const hedgeProblem = hedge.restore(await store.load(STATE_HEDGE));
  if (hedgeProblem !== undefined)
    logger.warn({ err: hedgeProblem }, 'tail hedge state unreadable; starting INACTIVE');
  if (engineState) {
    const e = engineState['hedgeEquityUsd'];
    const h = engineState['hedgeSession'];
    hedge.equityUsd = typeof e === 'number' ? e : null;
    hedge.session = typeof h === 'string' ? h : null;
  }
  const strategyState = await store.load(STATE_STRATEGY);
  if (strategyState !== undefined && strategy.restore) strategy.restore(strategyState);
  sizing.restoreDecay(await store.load(STATE_DECAY), logger);

  const marks = await journal.entries({ runId, kinds: ['decision', 'cycle_completed'] });
  const completed = new Set<number>();
  let lastDecision: JournalEntry | undefined;
  let lastCycle = 0;
  for (const e of marks) {
    if (e.kind === 'cycle_completed') completed.add(e.cycle);
    else if (!lastDecision || e.cycle >= lastDecision.cycle) lastDecision = e;
    lastCycle = Math.max(lastCycle, e.cycle);
  }
  let lastCompletedCycle = 0;
  for (const c of completed) if (c > lastCompletedCycle) lastCompletedCycle = c;
  const interrupted = lastDecision && !completed.has(lastDecision.cycle) ? lastDecision : undefined;
  return { expectedPositions, lastCycle, lastCompletedCycle, interrupted };
}
