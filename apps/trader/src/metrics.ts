import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { CycleReport } from '@quantpipe/execution';

/**
 * The trader's Prometheus metrics, in a registry of its own (never the global one, so two
 * traders in one process, or tests, do not share counters). Served at `/metrics`.
 */
export class TraderMetrics {
  readonly registry = new Registry();
  readonly cycles = new Counter({
    name: 'trader_cycles_total',
    help: 'Rebalance cycles by outcome (traded, skipped, halted, dry_run, failed).',
    labelNames: ['status'],
    registers: [this.registry],
  });
  readonly cycleDuration = new Histogram({
    name: 'trader_cycle_duration_seconds',
    help: 'Wall time of a rebalance cycle.',
    buckets: [0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300],
    registers: [this.registry],
  });
  readonly orders = new Counter({
    name: 'trader_orders_total',
    help: 'Orders by outcome: the final status of sent orders, skipped, or would_send (dry run).',
    labelNames: ['outcome'],
    registers: [this.registry],
  });
  readonly brokerErrors = new Counter({
    name: 'trader_broker_errors_total',
    help: 'Failed broker and market-data calls by error kind (after the adapters gave up).',
    labelNames: ['kind'],
    registers: [this.registry],
  });
  readonly retries = new Counter({
    name: 'trader_retries_total',
    help: 'Broker and market-data calls retried by the adapters.',
    registers: [this.registry],
  });
  readonly disconnects = new Counter({
    name: 'trader_disconnects_total',
    help: 'Times the broker became unreachable.',
    registers: [this.registry],
  });
  readonly reconnects = new Counter({
    name: 'trader_reconnects_total',
    help: 'Times the broker was reached again after a disconnect.',
    registers: [this.registry],
  });
  readonly equity = new Gauge({
    name: 'trader_equity_usd',
    help: 'Account equity after the last cycle.',
    registers: [this.registry],
  });
  readonly drawdown = new Gauge({
    name: 'trader_drawdown_ratio',
    help: 'Drawdown from the peak at the last risk check (<= 0).',
    registers: [this.registry],
  });
  readonly leverage = new Gauge({
    name: 'trader_leverage_ratio',
    help: 'Gross leverage after the last cycle.',
    registers: [this.registry],
  });
  readonly killSwitch = new Gauge({
    name: 'trader_kill_switch_tripped',
    help: '1 while the kill switch is tripped.',
    registers: [this.registry],
  });
  readonly brokerUp = new Gauge({
    name: 'trader_broker_up',
    help: '1 while the broker answers, 0 after a connection failure.',
    registers: [this.registry],
  });
  readonly dataStaleness = new Gauge({
    name: 'trader_data_staleness_seconds',
    help: 'Age of the newest bar the market data returned (from the end of its bar).',
    registers: [this.registry],
  });
  readonly lastCycle = new Gauge({
    name: 'trader_last_cycle_timestamp_seconds',
    help: 'Unix time of the end of the last cycle.',
    registers: [this.registry],
  });
  readonly nextCycle = new Gauge({
    name: 'trader_next_cycle_timestamp_seconds',
    help: 'Unix time the next cycle is scheduled for.',
    registers: [this.registry],
  });

  constructor() {
    this.brokerUp.set(1);
    this.killSwitch.set(0);
    for (const status of ['traded', 'skipped', 'halted', 'dry_run', 'failed'])
      this.cycles.inc({ status }, 0);
  }

  /** Records a finished cycle. */
  observeCycle(
    report: CycleReport,
    durationMs: number,
    endedAtMs: number,
    skipped: number,
    killSwitchTripped: boolean,
  ): void {
    this.cycles.inc({ status: report.status });
    this.cycleDuration.observe(durationMs / 1000);
    for (const order of report.orders) this.orders.inc({ outcome: order.status });
    if (skipped > 0) this.orders.inc({ outcome: 'skipped' }, skipped);
    if (report.status === 'dry_run' && report.plannedOrders.length > 0)
      this.orders.inc({ outcome: 'would_send' }, report.plannedOrders.length);
    this.equity.set(report.equityAfterUsd);
    this.leverage.set(report.leverageAfter);
    if (report.riskVerdict) this.drawdown.set(report.riskVerdict.metrics.drawdown);
    this.killSwitch.set(killSwitchTripped ? 1 : 0);
    this.lastCycle.set(endedAtMs / 1000);
  }

  /** Records a failed cycle. */
  observeFailedCycle(durationMs: number): void {
    this.cycles.inc({ status: 'failed' });
    this.cycleDuration.observe(durationMs / 1000);
  }

  /** The exposition text. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
