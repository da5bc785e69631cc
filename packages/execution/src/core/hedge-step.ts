import type { JsonValue, Logger } from '@quantpipe/core';
import { StatefulTailHedge } from '@quantpipe/risk';
import type { HedgeReport } from '../cycle-report';
import type { EngineConfig } from '../engine-config';

/**
 * The spec's stateful tail hedge (6.1) as a cycle step: it advances once per new benchmark
 * session with the portfolio's return since its last step, the benchmark's last daily return
 * and the risk monitor's drawdown. The hedge is synthetic (it simulates options): its P&L is
 * reported, not traded; a simulation may book it as cash.
 */
export class HedgeStep {
  private hedge: StatefulTailHedge;
  /** Equity at the last step (the next step's return is measured from it). */
  equityUsd: number | null = null;
  /** Benchmark session of the last step. */
  session: string | null = null;

  constructor(
    private readonly config: Pick<
      EngineConfig,
      'hedge_threshold' | 'hedge_size' | 'cost_per_hedge'
    >,
    private readonly logger: Logger,
  ) {
    this.hedge = this.fresh();
  }

  private fresh(): StatefulTailHedge {
    return new StatefulTailHedge(
      {
        hedge_threshold: this.config.hedge_threshold,
        hedge_size: this.config.hedge_size,
        cost_per_hedge: this.config.cost_per_hedge,
      },
      { logger: this.logger },
    );
  }

  /** The hedge's state (what the driver persists). */
  toJSON(): ReturnType<StatefulTailHedge['toJSON']> {
    return this.hedge.toJSON();
  }

  /** Restores a saved hedge; an unreadable state starts INACTIVE (the reason is returned). */
  restore(raw: JsonValue | undefined): string | undefined {
    if (raw === undefined) return undefined;
    try {
      this.hedge = StatefulTailHedge.fromJSON(raw, { logger: this.logger });
      return undefined;
    } catch (error) {
      return String(error);
    }
  }

  /**
   * Steps the hedge when the benchmark has a session it has not stepped on (`lastSession`,
   * with its close and the previous session's close) and the drawdown is known; otherwise
   * reports the hedge as it is.
   */
  step(
    equityUsd: number,
    drawdown: number,
    lastSession: string | undefined,
    lastCloseUsd: number,
    previousCloseUsd: number,
  ): HedgeReport {
    if (
      lastSession === undefined ||
      !(previousCloseUsd === previousCloseUsd) ||
      lastSession === this.session ||
      !Number.isFinite(drawdown)
    ) {
      return {
        state: this.hedge.state,
        activationLevel: this.hedge.activationLevel,
        transition: null,
        hedgePnl: 0,
        hedgeCost: 0,
        stepped: false,
      };
    }
    const previousEquity = this.equityUsd;
    const portfolioReturn =
      previousEquity && previousEquity > 0 ? equityUsd / previousEquity - 1 : 0;
    const marketReturn = lastCloseUsd / previousCloseUsd - 1;
    const step = this.hedge.step(portfolioReturn, marketReturn, drawdown);
    this.equityUsd = equityUsd;
    this.session = lastSession;
    return {
      state: step.state,
      activationLevel: this.hedge.activationLevel,
      transition: step.transition,
      hedgePnl: step.hedgePnl,
      hedgeCost: step.hedgeCost,
      stepped: true,
    };
  }
}
