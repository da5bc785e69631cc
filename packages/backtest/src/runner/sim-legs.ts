import type { BarColumns } from '@quantpipe/core';
import {
  FLOW_AWAIT,
  FLOW_DONE,
  FLOW_NEED_SNAPSHOT,
  FLOW_SEND,
  FLOW_SKIP,
  FLOW_VERDICT,
  clientOrderIdFor,
  engineAlerts,
  legName,
  type DecisionCore,
  type EngineAlert,
  type SimVenue,
} from '@quantpipe/execution';
import { marketStatsInto, type MutableMarketStats, type RiskVerdict } from '@quantpipe/risk';
import type { ColumnarMarket } from '../data/columnar-market';
import type { TradeLog } from '../result/trade-log';
import type { EventLog } from './event-log';
import { newFillFigures, type FillFigures } from '../result/fill-figures';
import type { PendingFills } from './pending-fills';
import type { SessionTimeline } from './timeline';

/** What a cycle's order flow came to (one object, reused every cycle). */
export interface LegOutcome {
  orders: number;
  filled: number;
  skipped: number;
  haltedMidCycle: boolean;
}

/** What {@link SimLegs} works with: the loop's core, venue, journal and logs. */
export interface SimLegsInput {
  readonly runId: string;
  readonly core: DecisionCore;
  readonly venue: SimVenue;
  readonly events: EventLog;
  readonly trades: TradeLog;
  readonly fills: PendingFills;
  readonly columns: ColumnarMarket;
  readonly timeline: SessionTimeline;
  /** Journals and delivers an engine alert. */
  raise(alert: EngineAlert): void;
}

/**
 * A cycle's legs on the simulated venue: journaled as the live engine journals them, then sent
 * through the decision core's order flow (risk gate, exposure check, rejections) and filled in
 * place, each fill recorded in the journal, the trade log and the pending audit.
 */
export class SimLegs {
  /** The current fill's figures: the venue writes its execution here, the logs read it. */
  private readonly exec: FillFigures = newFillFigures();
  private readonly stats: MutableMarketStats = { priceUsd: 0, adv: 0, volatility: 0 };
  /** The quote the current fill is priced at (reused). */
  private readonly fillQuote: { priceUsd: number; advShares: number; volatility: number } = {
    priceUsd: Number.NaN,
    advShares: Number.NaN,
    volatility: Number.NaN,
  };
  private readonly outcome: LegOutcome = {
    orders: 0,
    filled: 0,
    skipped: 0,
    haltedMidCycle: false,
  };
  private nextVenueOrder = 1;
  /** Per kept leg: its journal row. */
  private legRows = new Int32Array(0);
  /** Per kept leg: the order row of this cycle's leg, for the await stage. */
  private legOrder = new Int32Array(0);

  constructor(private readonly input: SimLegsInput) {}

  /** Journals cycle `cycle`'s kept legs; the first leg's row, or -1 without legs. */
  journal(cycle: number): number {
    const { core, events } = this.input;
    const plan = core.plan;
    if (this.legRows.length < plan.keptCount) this.legRows = new Int32Array(2 * plan.keptCount);
    let firstLeg = -1;
    for (let j = 0; j < plan.keptCount; j++) {
      const row = events.leg(
        cycle,
        plan.legSymbol(j),
        plan.kindAt(j),
        plan.sideAt(j),
        plan.quantityAt(j),
        plan.increasesAt(j),
        false,
      );
      if (j === 0) firstLeg = row;
      this.legRows[j] = row;
    }
    return firstLeg;
  }

  /**
   * Runs the order flow over cycle `cycle`'s journaled legs (step `k`, at `nowIso`) against the
   * simulated venue: orders fill at the next session's open.
   */
  execute(k: number, cycle: number, nowIso: string): LegOutcome {
    const { core, venue, events } = this.input;
    const plan = core.plan;
    const flow = core.flow;
    const timeline = this.input.timeline;
    const n = this.input.columns.symbols.length;
    const fillAt = timeline.nextTimestamp[k] as string;
    if (this.legOrder.length < plan.keptCount) this.legOrder = new Int32Array(2 * plan.keptCount);
    let orders = 0;
    let filled = 0;
    let skipped = 0;
    flow.begin(plan, core.gate, false, core.symbols.capacity);
    for (let action = flow.next(); action !== FLOW_DONE; action = flow.next()) {
      const j = flow.leg;
      const row = this.legRows[j] as number;
      if (action === FLOW_SKIP) {
        events.skipped(row, flow.skipReason);
        skipped++;
      } else if (action === FLOW_NEED_SNAPSHOT) {
        const snap = flow.snapshot;
        const equityUsd = venue.equityUsd();
        snap.portfolioValueUsd = equityUsd;
        snap.equityUsd = equityUsd;
        snap.grossExposureUsd = venue.grossExposureUsd();
        snap.dailyPnlUsd = equityUsd - venue.sessionStartEquityUsd;
        snap.lastEquityUsd = venue.sessionStartEquityUsd;
        flow.checkExposure(nowIso);
      } else if (action === FLOW_VERDICT) {
        events.object('risk_verdict', cycle, core.gate.lastVerdict as RiskVerdict);
      } else if (action === FLOW_SEND) {
        const s = plan.legSymbol(j);
        const side = plan.sideAt(j);
        const shares = plan.quantityAt(j);
        const venueNumber = this.nextVenueOrder++;
        const bar = timeline.barIndex[k * n + s] as number;
        const next = timeline.nextIndex[k * n + s] as number;
        const series = this.input.columns.daily[s] as BarColumns;
        const reference = series.open[next] as number;
        const refused = venue.rejectionReason(
          s,
          side,
          shares,
          venue.addsExposure(s, side, shares) ? reference : Number.NaN,
        );
        if (refused !== undefined) {
          const clientOrderId = clientOrderIdFor(
            this.input.runId,
            cycle,
            core.symbols.name(s),
            legName(plan.kindAt(j)),
          );
          const message = `order ${clientOrderId} rejected: ${refused}`;
          events.intent(row);
          events.object(
            'order_update',
            cycle,
            { status: 'rejected', reason: message },
            clientOrderId,
          );
          this.input.raise(
            engineAlerts.orderRejected(
              side === 1 ? 'buy' : 'sell',
              shares,
              core.symbols.name(s),
              message,
              clientOrderId,
            ),
          );
          flow.refused();
          continue;
        }
        this.quote(s, bar);
        const quote = this.fillQuote;
        quote.priceUsd = reference;
        quote.advShares = this.stats.adv;
        quote.volatility = this.stats.volatility;
        const exec = this.exec;
        venue.execute(exec, s, side, shares, quote);
        exec.referencePriceUsd = reference;
        const order = events.order(row, venueNumber, 'filled', shares, exec, fillAt);
        events.intentAndSent(order);
        this.legOrder[j] = order;
        this.input.fills.push(s, side, shares, exec);
        this.input.trades.appendFill(
          fillAt,
          cycle,
          core.symbols.name(s),
          side,
          shares,
          exec,
          this.input.runId,
          legName(plan.kindAt(j)),
        );
        flow.sent();
      } else if (action === FLOW_AWAIT) {
        const order = this.legOrder[j] as number;
        events.finalAndFill(order);
        orders++;
        filled++;
        flow.final(true);
      }
    }
    const outcome = this.outcome;
    outcome.orders = orders;
    outcome.filled = filled;
    outcome.skipped = skipped;
    outcome.haltedMidCycle = flow.haltedMidCycle;
    return outcome;
  }

  /**
   * The slippage inputs of a fill of symbol `s` (step bar `bar`): the figures the cycle sized
   * with, else the 20 daily bars ending at the step's bar.
   */
  private quote(s: number, bar: number): void {
    const f = this.input.core.figures;
    const series = this.input.columns.daily[s] as BarColumns;
    if (f.has[s] === 1 && f.priceUsd[s] === series.close[bar]) {
      this.stats.adv = f.adv[s] as number;
      this.stats.volatility = f.volatility[s] as number;
      return;
    }
    marketStatsInto(this.stats, series.close, series.volume, 0, bar + 1, 20, 252, series.symbol);
  }
}
