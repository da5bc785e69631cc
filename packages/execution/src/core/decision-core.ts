import type { AlertSink, Logger, TimeInForce } from '@quantpipe/core';
import type { RiskVerdict } from '@quantpipe/risk';
import { clientOrderIdFor, type OrderLeg } from '../client-order-id';
import type { SkippedOrder } from '../cycle-report';
import type { EngineConfig } from '../engine-config';
import type { CommissionModel } from '../sim-account';
import { CycleDecisions } from './cycle-decisions';
import { CyclePlan } from './cycle-plan';
import { HedgeStep } from './hedge-step';
import type { LegPayload } from './leg-payload';
import { MarketFigures } from './market-figures';
import { BAND_NONE, bandKindOf, bandReason, expectedEdgeUsd } from './no-trade-band';
import { OrderFlow } from './order-flow';
import { RiskGate } from './risk-gate';
import { SizingStep } from './sizing-step';
import { SymbolTable } from './symbol-table';
import { newTradeCost, tradeCostInto } from './trade-cost';

const LEG_NAMES: readonly OrderLeg[] = ['adjust', 'close', 'open'];

/** A trade the no-trade band kept from going, as reported and journaled. */
export interface BandedTrade extends SkippedOrder {
  /** The shares it would have traded (signed). */
  readonly deltaShares: number;
  /** Its expected edge (see `expectedEdgeUsd`), USD; 0 when the cost-benefit band is off. */
  readonly expectedEdgeUsd: number;
  /** Its estimated cost: slippage plus the venue's commission, USD. */
  readonly estimatedCostUsd: number;
}

/** The name of a leg kind (LEG_ADJUST, LEG_CLOSE, LEG_OPEN). */
export function legName(kind: number): OrderLeg {
  return LEG_NAMES[kind] as OrderLeg;
}

/**
 * The engine's decision core: the synchronous parts of a cycle over plain state — the symbol
 * table, the risk gate, the tail hedge step, the market figures, the strategy's decisions, the
 * sizing step, the cycle plan and the order flow — with the small views both drivers need to
 * journal and report what they decided. It performs no I/O, reads no clock and formats no
 * date: the live driver (`TradingEngine`) and the backtest loop each call its parts in the
 * cycle's order and do their own I/O around them.
 */
export class DecisionCore {
  readonly symbols: SymbolTable;
  readonly gate: RiskGate;
  readonly hedge: HedgeStep;
  readonly sizing: SizingStep;
  readonly figures: MarketFigures;
  readonly decisions: CycleDecisions;
  readonly plan: CyclePlan;
  readonly flow = new OrderFlow();
  private readonly cost = newTradeCost();

  constructor(
    readonly config: EngineConfig,
    options: {
      readonly alertSink?: AlertSink;
      readonly logger: Logger;
      readonly now: () => number;
      /**
       * The venue's commission model, for the pre-trade cost estimate and the cost-benefit
       * no-trade band. Default: none (Alpaca).
       */
      readonly commission?: CommissionModel;
    },
  ) {
    this.symbols = new SymbolTable(config.symbols);
    this.gate = new RiskGate(config, {
      ...(options.alertSink ? { alertSink: options.alertSink } : {}),
      logger: options.logger,
      now: options.now,
    });
    this.hedge = new HedgeStep(config, options.logger);
    this.sizing = new SizingStep(config, this.symbols);
    this.figures = new MarketFigures(this.symbols.capacity);
    this.decisions = new CycleDecisions(this.symbols.capacity);
    this.plan = new CyclePlan(config, this.symbols, options.commission);
  }

  /** Makes every per-symbol column as long as the symbol table's capacity. */
  grow(): void {
    this.figures.ensure(this.symbols.capacity);
  }

  /** The last close of symbol `index` this cycle, or NaN. */
  priceOf(index: number): number {
    const f = this.figures;
    return index >= 0 && f.has[index] === 1 ? (f.priceUsd[index] as number) : Number.NaN;
  }

  /**
   * Scales the sized targets to `fraction` of themselves (whole shares, toward zero): the
   * risk verdict's {@link RiskVerdict.exposureScale} while a resumed book is scaled back in.
   */
  scaleIn(fraction: number): void {
    if (fraction === 1) return;
    const { decisions, sizing } = this;
    for (let i = 0; i < decisions.count; i++)
      if (sizing.usable[i] === 1)
        sizing.targets[i] = Math.trunc((sizing.targets[i] as number) * fraction) || 0;
  }

  /**
   * Plans the sized decisions: each usable one trades from `currentOf(index)` to its target,
   * unless a no-trade band keeps the held position (recorded with the plan's banded trades):
   * a trade worth less than `min_trade_notional_usd`, or, with `expected_edge_bps` > 0, one
   * whose expected edge (`expectedEdgeUsd`) does not exceed its estimated cost (slippage plus
   * the venue's commission, as the pre-trade estimate). An exit to zero always goes.
   */
  planSized(currentOf: (index: number) => number): void {
    const { decisions, sizing, plan, figures, cost } = this;
    const minNotionalUsd = this.config.min_trade_notional_usd;
    const edgeBps = this.config.expected_edge_bps;
    for (let i = 0; i < decisions.count; i++) {
      if (sizing.usable[i] !== 1) continue;
      const index = decisions.symbol[i] as number;
      const current = currentOf(index);
      const priceUsd = this.priceOf(index);
      let target = sizing.targets[i] as number;
      if (target !== 0 && target !== current && (minNotionalUsd > 0 || edgeBps > 0)) {
        let edgeUsd = 0;
        let costUsd = 0;
        if (edgeBps > 0) {
          tradeCostInto(
            cost,
            target,
            current,
            priceUsd,
            figures.adv[index] as number,
            figures.volatility[index] as number,
            plan.commission,
          );
          costUsd = cost.costUsd;
          edgeUsd = expectedEdgeUsd(
            target - current,
            priceUsd,
            sizing.strengthOf(decisions, i),
            edgeBps,
          );
        }
        const kind = bandKindOf(
          target,
          current,
          priceUsd,
          minNotionalUsd,
          edgeBps,
          edgeUsd,
          costUsd,
        );
        if (kind !== BAND_NONE) {
          plan.addBanded(index, target, current, kind, edgeUsd, costUsd);
          target = current;
        }
      }
      plan.add(index, target, current, priceUsd);
    }
  }

  /**
   * The trades the no-trade band kept from going this cycle, each with the client order id its
   * first leg would have had (a flip's close, else its adjustment), its reason and figures.
   */
  bandedTrades(runId: string, cycle: number): BandedTrade[] {
    const plan = this.plan;
    const out: BandedTrade[] = [];
    for (let j = 0; j < plan.bandCount; j++) {
      const symbol = this.symbols.name(plan.bandSymbol[j] as number);
      const target = plan.bandTarget[j] as number;
      const current = plan.bandCurrent[j] as number;
      const flip = (current < 0 && target > 0) || (current > 0 && target < 0);
      out.push({
        clientOrderId: clientOrderIdFor(runId, cycle, symbol, flip ? 'close' : 'adjust'),
        symbol,
        reason: bandReason(plan.bandKind[j] as number),
        deltaShares: target - current,
        expectedEdgeUsd: plan.bandEdgeUsd[j] as number,
        estimatedCostUsd: plan.bandCostUsd[j] as number,
      });
    }
    return out;
  }

  /** Whether the verdict (or a liquidation) keeps the exposure-adding legs from going. */
  blocksAdding(verdict: RiskVerdict): boolean {
    return verdict.blocksNewExposure || this.plan.liquidation;
  }

  /** Why a liquidating cycle trades (the kill switch and the configured action). */
  liquidationReason(): string {
    return `kill switch tripped (${this.gate.killSwitch.reason ?? ''}): ${this.config.on_loss_breach}`;
  }

  /** Why a halted cycle does not trade. */
  haltedReason(): string {
    return `kill switch tripped: ${this.gate.killSwitch.reason ?? ''}`;
  }

  /** Why a traded cycle sends no exposure-adding leg. */
  static blockedReason(verdict: RiskVerdict): string {
    return `new exposure blocked: ${verdict.breaches.map((b) => b.limit).join(', ')}`;
  }

  /** The sized targets by symbol, in decision order (as journaled by a halted cycle). */
  sizedTargets(): Record<string, number> {
    const out: Record<string, number> = {};
    const d = this.decisions;
    for (let i = 0; i < d.count; i++)
      if (this.sizing.usable[i] === 1)
        out[this.symbols.name(d.symbol[i] as number)] = this.sizing.targets[i] as number;
    return out;
  }

  /** The plan's targets after buying-power scaling, by symbol in plan order. */
  scaledTargets(): Record<string, number> {
    const out: Record<string, number> = {};
    const plan = this.plan;
    for (let i = 0; i < plan.count; i++)
      out[this.symbols.name(plan.symbol[i] as number)] = plan.scaledTarget(i);
    return out;
  }

  /** The buying-power scale factor of the plan, or null. */
  scaleFactor(): number | null {
    const f = this.plan.legs.scaleFactor;
    return Number.isNaN(f) ? null : f;
  }

  /** The client order id of kept leg `k` of cycle `cycle`. */
  clientOrderId(runId: string, cycle: number, k: number): string {
    const plan = this.plan;
    return clientOrderIdFor(
      runId,
      cycle,
      this.symbols.name(plan.legSymbol(k)),
      legName(plan.kindAt(k)),
    );
  }

  /** Kept leg `k` of cycle `cycle` as journaled and sent. */
  legPayload(runId: string, cycle: number, k: number, timeInForce: TimeInForce): LegPayload {
    const plan = this.plan;
    const symbol = this.symbols.name(plan.legSymbol(k));
    const leg = legName(plan.kindAt(k));
    return {
      clientOrderId: clientOrderIdFor(runId, cycle, symbol, leg),
      symbol,
      leg,
      side: plan.sideAt(k) === 1 ? 'buy' : 'sell',
      quantity: plan.quantityAt(k),
      timeInForce,
      increasesExposure: plan.increasesAt(k),
    };
  }
}
