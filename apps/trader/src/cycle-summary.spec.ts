import { Writable } from 'node:stream';
import type { CycleReport } from '@quantpipe/execution';
import type { RiskVerdict } from '@quantpipe/risk';
import { summariseCycle } from './cycle-summary';
import { createTraderLogger, engineLoggerFor, logCycleSummary } from './log-format';
import { LIMITS, cycleReport, filledOrder } from './testing/ops-fixtures';

const AT = '2024-07-09T15:00:00Z';

function report(): CycleReport {
  const a = filledOrder('SYNA', 100, 50, AT);
  const b = filledOrder('SYNB', 40, 25, AT);
  const base = cycleReport(3, AT, [a.order], [a.fill], 1_010_000);
  const verdict = {
    metrics: { drawdown: -0.021, dailyPnlUsd: 1234.5, dailyPnlPct: 0.0012, leverage: 1.2 },
    killSwitchTripped: false,
  } as unknown as RiskVerdict;
  const [decision] = base.decisions;
  const [planned] = base.plannedOrders;
  if (!decision || !planned) throw new Error('fixture without a decision');
  return {
    ...base,
    decisions: [
      ...base.decisions,
      { ...decision, symbol: 'SYNB', targetShares: 40, currentShares: 10 },
    ],
    plannedOrders: [
      ...base.plannedOrders,
      { ...planned, clientOrderId: b.order.clientOrderId, symbol: 'SYNB' },
    ],
    riskVerdict: verdict,
    hedge: {
      state: 'INACTIVE',
      activationLevel: null,
      transition: null,
      hedgePnl: 0,
      hedgeCost: 0,
      stepped: true,
    },
  };
}

function sink(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, text: () => text };
}

describe('cycle summary', () => {
  it('says targets vs holdings, orders with skip reasons, P&L and risk against limits', () => {
    const r = report();
    const skipped = new Map([
      [r.plannedOrders[1]?.clientOrderId ?? '', 'risk verdict blocks new exposure'],
    ]);
    const s = summariseCycle(r, {
      limits: LIMITS,
      startEquityUsd: 1_000_000,
      skippedReasons: skipped,
      killSwitch: { tripped: false },
    });
    expect(s.line).toBe(
      'cycle 3 traded | targets 2 / holdings 1 | orders sent 1, filled 1, skipped 1 (1 risk verdict blocks new exposure) | ' +
        'P&L day +$1,235 (0.12%, limit -5.0%), total +$10,000 | equity $1,010,000 | drawdown -2.1% (limit -15.0%) | ' +
        'leverage 1.20x (1.0-3.0x) | kill switch off | hedge INACTIVE',
    );
    expect(s.fields).toMatchObject({ ordersSkipped: 1, totalPnlUsd: 10_000, killSwitch: false });
    expect(s.details).toHaveLength(2);
    expect(s.details[0]).toMatch(
      /SYNA .*target +100 .*holding +0 .*delta +\+100 .*order buy 100 filled/,
    );
    expect(s.details[1]).toMatch(/SYNB .*no order/);
  });

  it('counts the trades the no-trade band kept among the skipped, with their reason', () => {
    const r = report();
    const banded = {
      clientOrderId: 'qp-live-3-SYNC-adjust',
      symbol: 'SYNC',
      reason: 'no-trade band: expected edge does not exceed the estimated cost',
    };
    const s = summariseCycle(
      { ...r, plannedOrders: r.plannedOrders.slice(0, 1), skippedOrders: [banded] },
      { limits: LIMITS, killSwitch: { tripped: false } },
    );
    expect(s.fields.ordersSkipped).toBe(1);
    expect(s.fields.skippedReasons).toEqual({ [banded.reason]: 1 });
    expect(s.line).toContain(`skipped 1 (1 ${banded.reason})`);
  });

  it('pretty mode: one readable line a cycle at info, the symbols at debug, engine per-symbol lines demoted', () => {
    const out = sink();
    const logger = createTraderLogger({
      level: 'info',
      format: 'pretty',
      destination: out.stream,
      colorize: false,
    });
    const s = summariseCycle(report(), {
      limits: LIMITS,
      killSwitch: { tripped: true, reason: 'manual kill' },
    });
    logCycleSummary(logger, s, 'pretty', report());
    engineLoggerFor(logger, 'pretty').info({ symbol: 'SYNA', costUsd: 3 }, 'estimated cost');
    engineLoggerFor(logger, 'pretty').info({ cycle: 3 }, 'strategy notes');
    const lines = out.text().trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      /^\[\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\] INFO: cycle 3 traded \| targets 2 \/ holdings 1 .*kill switch TRIPPED \(manual kill\)/,
    );
    expect(lines[1]).toMatch(/INFO: strategy notes/);

    const debugOut = sink();
    const debugLogger = createTraderLogger({
      level: 'debug',
      format: 'pretty',
      destination: debugOut.stream,
      colorize: false,
    });
    logCycleSummary(debugLogger, s, 'pretty', report());
    expect(debugOut.text()).toMatch(/DEBUG: +SYNA +target +100/);
  });

  it('JSON mode keeps `cycle finished` with the fields and the line', () => {
    const out = sink();
    const logger = createTraderLogger({ level: 'info', format: 'json', destination: out.stream });
    const r = report();
    logCycleSummary(
      logger,
      summariseCycle(r, { limits: LIMITS, killSwitch: { tripped: false } }),
      'json',
      r,
    );
    engineLoggerFor(logger, 'json').info({ symbol: 'SYNA' }, 'estimated cost');
    const records = out
      .text()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records[0]).toMatchObject({
      msg: 'cycle finished',
      cycle: 3,
      status: 'traded',
      summary: { targets: 2 },
    });
    expect(String(records[0]?.['line'])).toMatch(/^cycle 3 traded/);
    expect(records[1]).toMatchObject({ msg: 'estimated cost' });
  });
});
