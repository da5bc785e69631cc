import {
  DataError,
  sessionDateOf,
  type AlertLevel,
  type Broker,
  type Logger,
  type Strategy,
  type TimeInForce,
} from '@quantpipe/core';
import { marketStatsFromBars } from '@quantpipe/risk';
import { DecisionCore } from '../core/decision-core';
import { engineAlerts } from '../core/engine-alerts';
import type { LegPayload } from '../core/leg-payload';
import type {
  CycleReport,
  CycleStatus,
  HedgeReport,
  PlannedOrder,
  SkippedOrder,
} from '../cycle-report';
import type { EngineConfig } from '../engine-config';
import { jsonNumber } from '../journal-payloads';
import { sessionOrdinal, weekdaysBetween } from '../session-time';
import { toJson } from '../to-json';
import type { UniverseBars } from '../universe-bars';
import type { BrokerCalls } from './broker-calls';
import { decisionReports, strategyFields } from './cycle-reports';
import type { JournalWriter } from './journal-writer';
import { positionsMap, type Reconciler } from './reconciler';
import { RISK_ACKNOWLEDGEMENT_STATE_KEY, STATE_DECAY, type StateStore } from './state-store';

/** What one live cycle works with: the engine's parts, handed over as one value. */
export interface LiveCycleContext {
  readonly config: EngineConfig;
  readonly runId: string;
  readonly broker: Broker;
  readonly strategy: Strategy;
  readonly core: DecisionCore;
  readonly bars: UniverseBars;
  readonly journal: JournalWriter;
  readonly store: StateStore;
  readonly calls: BrokerCalls;
  readonly reconciler: Reconciler;
  readonly logger: Logger;
  /** Journals an alert, then delivers it. */
  readonly raise: (
    level: AlertLevel,
    title: string,
    message: string,
    context?: Record<string, unknown>,
  ) => Promise<void>;
  /** Persists the engine's state (keys whose JSON changed). */
  readonly saveState: () => Promise<void>;
  /** The strategy's remarks as last logged (logged again only when they change). */
  readonly notes: { last: string };
}

/** A cycle planned up to its orders, or one that ends without trading. */
export type PlannedCycle =
  | {
      readonly kind: 'finished';
      readonly report: CycleReport;
      readonly status: CycleStatus;
      readonly reason: string;
    }
  | {
      readonly kind: 'planned';
      readonly report: CycleReport;
      readonly legs: LegPayload[];
      readonly status: CycleStatus;
      readonly reason?: string;
      /** Signed shares the broker held before the cycle's orders, by symbol. */
      readonly positionsBefore: Readonly<Record<string, number>>;
      /** Trades the no-trade band kept from going, as reported (journaled with their figures). */
      readonly banded: readonly SkippedOrder[];
    };

/**
 * One live cycle up to its orders: bars up to the clock with the stale-data watchdog, the
 * market clock, this run's stale orders canceled, the account, the risk verdict and the tail
 * hedge, the strategy, the market figures and the sizing, then the plan (the reduction a loss
 * breach asks for, or the sized targets) with its cost estimate and legs, journaled as the
 * cycle's decision before any order goes.
 */
export async function planLiveCycle(
  ctx: LiveCycleContext,
  cycle: number,
  nowMs: number,
  base: CycleReport,
): Promise<PlannedCycle> {
  const { broker, core, config, journal, logger } = ctx;
  const symbols = core.symbols;
  const daily = ctx.bars.daily;
  const data = await refreshBars(ctx, nowMs);
  if (data.missing.length > 0 || data.stale.length > 0) {
    const what = [
      ...data.missing.map((s) => `${s}: no bars`),
      ...data.stale.map((s) => `${s}: last bar ${daily.last(s)?.timestamp}`),
    ];
    await ctx.raise(
      'CRITICAL',
      'STALE MARKET DATA',
      `no trading on stale data (${what.join('; ')})`,
      { cycle, symbols: [...data.missing, ...data.stale] },
    );
    return {
      kind: 'finished',
      report: base,
      status: 'skipped',
      reason: `stale market data: ${what.join('; ')}`,
    };
  }

  const marketClock = await ctx.calls.call('getClock', () => broker.getClock());
  const timeInForce: TimeInForce = marketClock.isOpen ? 'day' : 'gtc';
  await ctx.reconciler.sweepOpenOrders(cycle, 'open order of an earlier cycle');

  const account = await ctx.calls.call('getAccount', () => broker.getAccount());
  const positionList = await ctx.calls.call('getPositions', () => broker.getPositions());
  const current = positionsMap(positionList);
  const timestamp = base.timestamp;
  await applyLossAcknowledgement(ctx, account.portfolioValueUsd);
  const verdict = core.gate.checkCycle(account, positionList, timestamp);
  await journal.append('risk_verdict', cycle, verdict);
  const hedge = stepTailHedge(
    ctx,
    account.equityUsd,
    verdict.metrics.grossExposureUsd,
    verdict.metrics.drawdown,
  );
  await ctx.saveState();

  // Strategy and sizing (computed even when halted, so the report shows what was wanted).
  const output = await ctx.strategy.decide({
    cycle,
    timestamp,
    symbols: config.symbols,
    benchmarkSymbol: config.benchmark_symbol,
    daily: daily,
    ...(data.hybrid ? { hourly: ctx.bars.hourly } : {}),
    equityUsd: account.equityUsd,
    positions: current,
  });
  const notes = output.notes?.join(' | ') ?? '';
  if (notes !== ctx.notes.last) {
    if (notes !== '') logger.info({ cycle, notes: output.notes }, 'strategy notes');
    ctx.notes.last = notes;
  }
  await computeFigures(ctx, current);
  core.decisions.fill(output, symbols);
  core.grow();
  core.sizing.size(
    core.decisions,
    core.figures,
    (i) => daily.has(symbols.name(i)),
    account.equityUsd,
    sessionOrdinal(sessionDateOf(timestamp)),
  );
  core.scaleIn(verdict.exposureScale);
  if (core.sizing.hasDecayState) await ctx.store.save(STATE_DECAY, core.sizing.decayState(), true);
  const reports = decisionReports(core, output, current);

  const plan = core.plan;
  plan.reset(symbols.capacity);
  let status: CycleStatus = config.dry_run ? 'dry_run' : 'traded';
  let reason: string | undefined;
  const currentOf = (i: number): number => current[symbols.name(i)] ?? 0;
  if (core.gate.tripped) {
    if (!verdict.requiresReduction) {
      await journal.append('decision', cycle, {
        status: 'halted',
        targets: core.sizedTargets(),
        legs: [],
      });
      const report = {
        ...base,
        ...strategyFields(output),
        hedge,
        decisions: reports,
        riskVerdict: verdict,
        equityUsd: account.equityUsd,
      };
      return { kind: 'finished', report, status: 'halted', reason: core.haltedReason() };
    }
    const held = Int32Array.from(Object.keys(current), (s) => symbols.add(s));
    core.grow();
    plan.reductionOf(held, held.length, currentOf, core.figures);
    reason = core.liquidationReason();
    if (!config.dry_run) status = 'halted';
  } else {
    core.planSized(currentOf);
  }
  for (const symbol of ctx.reconciler.foreignOrderSymbols) plan.remove(symbols.add(symbol));

  // Pre-trade cost report (spec 6.3) and the order plan (spec 7.1).
  const logCosts = logger.isLevelEnabled?.('info') !== false;
  const costUsd = plan.estimateCost(
    core.figures,
    logCosts
      ? (
          index,
          deltaShares,
          priceUsd,
          participation,
          slippageBps,
          lineCostUsd,
          commissionUsd,
          skipReason,
          expectedEdgeUsd,
        ) =>
          logger.info(
            {
              symbol: symbols.name(index),
              deltaShares,
              priceUsd,
              participation,
              slippageBps,
              commissionUsd,
              costUsd: lineCostUsd,
              ...(skipReason === '' ? {} : { skipped: skipReason, expectedEdgeUsd }),
            },
            'estimated cost',
          )
      : undefined,
  );
  logger.info({ cycle, totalCostUsd: costUsd }, 'total estimated cost');
  const blockAdding = core.blocksAdding(verdict);
  plan.planOrders(account.buyingPowerUsd, blockAdding);
  const scaleFactor = core.scaleFactor();
  if (scaleFactor !== null)
    logger.warn({ scaleFactor }, 'insufficient buying power: scaling targets down');
  const legs: LegPayload[] = [];
  for (let k = 0; k < plan.keptCount; k++)
    legs.push(core.legPayload(ctx.runId, cycle, k, timeInForce));
  if (blockAdding) {
    if (plan.blockedCount > 0)
      logger.warn(
        { blocked: plan.blockedCount, breaches: verdict.breaches.map((b) => b.limit) },
        'risk verdict blocks new exposure',
      );
    if (!plan.liquidation && status === 'traded') reason = DecisionCore.blockedReason(verdict);
  }
  const scaledTargets = core.scaledTargets();
  // The decisions are this cycle's own objects: the scaled targets are written into them.
  for (const d of reports) {
    const scaled = scaledTargets[d.symbol];
    if (scaled !== undefined && scaled !== d.targetShares)
      (d as { targetShares: number }).targetShares = scaled;
  }
  await journal.appendJson('decision', cycle, {
    status,
    targets: toJson(scaledTargets),
    scaleFactor: scaleFactor === null ? null : jsonNumber(scaleFactor),
    estimatedCostUsd: jsonNumber(costUsd),
    liquidation: plan.liquidation,
    legs: config.dry_run ? [] : legs,
    wouldSend: config.dry_run ? legs : [],
  });
  logger.info(
    { cycle, legs: legs.length, scaleFactor, dryRun: config.dry_run },
    'decision journaled',
  );
  const banded: SkippedOrder[] = [];
  for (const b of core.bandedTrades(ctx.runId, cycle)) {
    banded.push({ clientOrderId: b.clientOrderId, symbol: b.symbol, reason: b.reason });
    // Journaled as a skipped leg is (a dry run journals no skip, as it sends nothing).
    const { clientOrderId, ...skip } = b;
    if (!config.dry_run)
      await journal.append('order_update', cycle, { status: 'skipped', ...skip }, clientOrderId);
    logger.info({ cycle, ...b }, 'trade inside the no-trade band: position kept');
  }
  const plannedOrders: PlannedOrder[] = legs.map((l) => ({ ...l }));
  const report: CycleReport = {
    ...base,
    ...strategyFields(output),
    hedge,
    status,
    ...(reason !== undefined ? { reason } : {}),
    decisions: reports,
    plannedOrders,
    riskVerdict: verdict,
    estimatedCostUsd: costUsd,
    buyingPowerScale: scaleFactor,
    equityUsd: account.equityUsd,
  };
  return {
    kind: 'planned',
    report,
    legs,
    status,
    ...(reason !== undefined ? { reason } : {}),
    positionsBefore: current,
    banded,
  };
}

/** Symbols without bars, and symbols whose last daily bar is too old (the stale-data watchdog). */
async function refreshBars(
  ctx: LiveCycleContext,
  nowMs: number,
): Promise<{ stale: string[]; missing: string[]; hybrid: boolean }> {
  const { dailyEnd, hybrid } = await ctx.bars.refresh(nowMs);
  const stale: string[] = [];
  const missing: string[] = [];
  const gapOf = new Map<string, number>(); // symbols usually share their last date
  for (const symbol of ctx.config.symbols) {
    const last = ctx.bars.daily.last(symbol);
    if (!last) {
      missing.push(symbol);
      continue;
    }
    const lastDate = last.timestamp.slice(0, 10);
    let gap = gapOf.get(lastDate);
    if (gap === undefined) {
      gap = weekdaysBetween(lastDate, dailyEnd);
      gapOf.set(lastDate, gap);
    }
    if (gap > ctx.config.max_stale_sessions) stale.push(symbol);
  }
  return { stale, missing, hybrid };
}

/** Applies a loss acknowledgement requested since the last one applied (see `TradingEngine.resume`). */
async function applyLossAcknowledgement(
  ctx: LiveCycleContext,
  portfolioValueUsd: number,
): Promise<void> {
  const raw = await ctx.store.load(RISK_ACKNOWLEDGEMENT_STATE_KEY);
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return;
  const requestedAt = raw['requestedAt'];
  if (typeof requestedAt !== 'string') return;
  if (!ctx.core.gate.applyAcknowledgement(requestedAt, portfolioValueUsd)) return;
  const alert = engineAlerts.lossesAcknowledged(portfolioValueUsd, requestedAt);
  await ctx.raise(alert.level, alert.title, alert.message, alert.context);
}

/** The tail hedge's step on the benchmark's last two daily bars. */
function stepTailHedge(
  ctx: LiveCycleContext,
  equityUsd: number,
  grossExposureUsd: number,
  drawdown: number,
): HedgeReport {
  const bench = ctx.bars.daily.bars(ctx.config.benchmark_symbol);
  const last = bench[bench.length - 1];
  const prev = bench[bench.length - 2];
  return ctx.core.hedge.step(
    equityUsd,
    grossExposureUsd,
    drawdown,
    last && prev ? last.timestamp : undefined,
    last?.close ?? Number.NaN,
    prev?.close ?? Number.NaN,
  );
}

/**
 * The market figures of the universe and of any other held symbol, from the last 20 daily
 * bars at the decision. A symbol with too little history (a new listing) or bad bars is not
 * traded this cycle, with a warning.
 */
async function computeFigures(
  ctx: LiveCycleContext,
  current: Readonly<Record<string, number>>,
): Promise<void> {
  const core = ctx.core;
  const table = core.symbols;
  const unusable: string[] = [];
  const universe = ctx.config.symbols.length;
  const extra = Object.keys(current).filter((s) => {
    const index = table.find(s);
    return index < 0 || index >= universe;
  });
  const symbols = extra.length === 0 ? ctx.config.symbols : [...ctx.config.symbols, ...extra];
  for (const symbol of extra) table.add(symbol);
  core.grow();
  for (const symbol of symbols) {
    if (!ctx.bars.daily.has(symbol)) continue;
    try {
      const stats = marketStatsFromBars(ctx.bars.daily.bars(symbol), { windowBars: 20 });
      core.figures.set(table.find(symbol), stats);
    } catch (error) {
      // Too little history (a new listing) or bad bars: that symbol is not traded this cycle.
      if (!(error instanceof DataError)) throw error;
      unusable.push(`${symbol}: ${error.message}`);
    }
  }
  if (unusable.length > 0) {
    const alert = engineAlerts.insufficientData(unusable);
    await ctx.raise(alert.level, alert.title, alert.message);
  }
}
