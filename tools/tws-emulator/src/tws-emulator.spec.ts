import { EventName, IBApi, OrderAction, OrderType, SecType, type Contract } from '@stoqey/ib';
import { startTwsEmulator, type RunningTwsEmulator } from './tws-emulator';

const STOCK = (symbol: string): Contract => ({
  symbol,
  secType: SecType.STK,
  exchange: 'SMART',
  currency: 'USD',
});

interface Received {
  errors: { code: number; reqId: number; message: string }[];
  decodeProblems: string[];
}

async function connect(port: number, clientId: number): Promise<{ ib: IBApi; got: Received }> {
  const ib = new IBApi({ host: '127.0.0.1', port, clientId });
  const got: Received = { errors: [], decodeProblems: [] };
  ib.on(EventName.error, (err: Error, code: number, reqId: number) => {
    if (/Underrun|unprocessed data|No parser/.test(err.message))
      got.decodeProblems.push(err.message);
    got.errors.push({ code, reqId, message: err.message });
  });
  const ready = new Promise<void>((resolve) => ib.once(EventName.nextValidId, () => resolve()));
  ib.connect();
  await ready;
  return { ib, got };
}

function historical(
  ib: IBApi,
  reqId: number,
  symbol: string,
  end: string,
  duration: string,
  barSize: string,
  formatDate = 1,
): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const dates: string[] = [];
    const onBar = (id: number, date: string): void => {
      if (id !== reqId) return;
      if (date.startsWith('finished')) {
        cleanup();
        resolve(dates);
      } else dates.push(date);
    };
    const onError = (err: Error, code: number, id: number): void => {
      if (id !== reqId) return;
      cleanup();
      reject(Object.assign(new Error(err.message), { code }));
    };
    const cleanup = (): void => {
      ib.off(EventName.historicalData, onBar);
      ib.off(EventName.error, onError);
    };
    ib.on(EventName.historicalData, onBar);
    ib.on(EventName.error, onError);
    ib.reqHistoricalData(
      reqId,
      STOCK(symbol),
      end,
      duration,
      barSize as never,
      'TRADES' as never,
      1,
      formatDate,
      false,
    );
  });
}

describe('TWS emulator with the @stoqey/ib client', () => {
  let emulator: RunningTwsEmulator;
  const clients: IBApi[] = [];

  beforeAll(async () => {
    emulator = await startTwsEmulator({
      synthetic: { sessions: 400, startDate: '2022-01-03' },
      cashUsd: 100_000,
      pacing: { identicalWindowMs: 500, maxRequests: 100, windowMs: 1000 },
    });
  });
  afterAll(async () => {
    for (const ib of clients) ib.disconnect();
    await emulator.close();
  });

  it('completes the handshake and reports the account', async () => {
    const { ib, got } = await connect(emulator.port, 1);
    clients.push(ib);
    const rows = await new Promise<Record<string, string>>((resolve) => {
      const out: Record<string, string> = {};
      ib.on(
        EventName.accountSummary,
        (_r: number, _a: string, tag: string, value: string) => (out[tag] = value),
      );
      ib.once(EventName.accountSummaryEnd, () => resolve(out));
      ib.reqAccountSummary(7, 'All', 'NetLiquidation,TotalCashValue,BuyingPower');
    });
    expect(rows).toEqual({
      NetLiquidation: '100000',
      TotalCashValue: '100000',
      BuyingPower: '100000',
    });
    expect(ib.serverVersion).toBe(100);
    expect(got.decodeProblems).toEqual([]);
  });

  it('serves daily bars as YYYYMMDD and hourly bars as epoch seconds, and enforces the rules', async () => {
    const { ib, got } = await connect(emulator.port, 2);
    clients.push(ib);
    const daily = await historical(ib, 1, 'SYNA', '20230630-23:59:59', '1 Y', '1 day');
    expect(daily.length).toBeGreaterThan(250);
    expect(daily[0]).toMatch(/^\d{8}$/);
    expect([...daily].sort()).toEqual(daily);
    const hourly = await historical(ib, 2, 'SYNA', '20230630-23:59:59', '1 M', '1 hour', 2);
    // [May 30 23:59:59Z, Jun 30 23:59:59Z): May 31 and the 21 sessions of June (the exchange
    // is closed on Juneteenth, Monday June 19), 7 bars each.
    expect(hourly.length).toBe(22 * 7);
    await expect(
      historical(ib, 3, 'SYNA', '20230630-23:59:59', '400 D', '1 day'),
    ).rejects.toMatchObject({ code: 321 });
    await expect(
      historical(ib, 4, 'SYNA', '20230630-23:59:59', '2 M', '1 hour'),
    ).rejects.toMatchObject({ code: 321 });
    await expect(
      historical(ib, 5, 'NOPE', '20230630-23:59:59', '1 Y', '1 day'),
    ).rejects.toMatchObject({ code: 200 });
    await expect(
      historical(ib, 6, 'SYNA', '20230630-23:59:59', '1 Y', '1 day'),
    ).rejects.toMatchObject({ code: 162 });
    expect(got.decodeProblems).toEqual([]);
  });

  it('fills a market order and reports status, open order, execution and commission', async () => {
    const { ib, got } = await connect(emulator.port, 3);
    clients.push(ib);
    const seen: string[] = [];
    ib.on(EventName.orderStatus, (_id: number, status: string) => seen.push(`status:${status}`));
    ib.on(EventName.openOrder, (_id: number, _c: Contract, o: { orderRef?: string }) =>
      seen.push(`open:${o.orderRef}`),
    );
    ib.on(EventName.execDetails, () => seen.push('exec'));
    const done = new Promise<void>((resolve) =>
      ib.once(EventName.commissionReport, () => resolve()),
    );
    ib.placeOrder(emulator.state().orders.length + 1, STOCK('SYNB'), {
      action: OrderAction.BUY,
      totalQuantity: 10,
      orderType: OrderType.MKT,
      tif: 'DAY',
      orderRef: 'ref-1',
      transmit: true,
    });
    await done;
    expect(seen).toEqual(['status:Submitted', 'open:ref-1', 'exec', 'status:Filled', 'open:ref-1']);
    const state = emulator.state();
    expect(state.positions).toEqual([
      { symbol: 'SYNB', quantity: 10, avgCost: expect.any(Number) },
    ]);
    expect(state.orders[0]).toMatchObject({ orderRef: 'ref-1', status: 'Filled', filled: 10 });
    expect(got.decodeProblems).toEqual([]);
  });

  it('rejects an order beyond the buying power with 201', async () => {
    const { ib } = await connect(emulator.port, 4);
    clients.push(ib);
    const id = emulator.state().orders.length + 10;
    const code = await new Promise<number>((resolve) => {
      ib.on(EventName.error, (_e: Error, c: number, reqId: number) => reqId === id && resolve(c));
      ib.placeOrder(id, STOCK('SYNA'), {
        action: OrderAction.BUY,
        totalQuantity: 1_000_000,
        orderType: OrderType.MKT,
        tif: 'DAY',
        orderRef: 'too-big',
        transmit: true,
      });
    });
    expect(code).toBe(201);
  });

  it('books the fill of a before-fill fault while the client is disconnected', async () => {
    const { ib } = await connect(emulator.port, 5);
    const closed = new Promise<void>((resolve) => ib.once(EventName.disconnected, () => resolve()));
    emulator.setFaults({ orderDrop: { mode: 'before-fill', count: 1 } });
    ib.placeOrder(500, STOCK('SYNC'), {
      action: OrderAction.BUY,
      totalQuantity: 5,
      orderType: OrderType.MKT,
      tif: 'DAY',
      orderRef: 'lost-reply',
      transmit: true,
    });
    await closed;
    expect(emulator.state().orders.find((o) => o.orderRef === 'lost-reply')).toMatchObject({
      status: 'Filled',
      filled: 5,
    });
    const again = await connect(emulator.port, 5);
    clients.push(again.ib);
    const refs = await new Promise<string[]>((resolve) => {
      const out: string[] = [];
      again.ib.on(EventName.execDetails, (_r: number, _c: Contract, e: { orderRef?: string }) =>
        out.push(e.orderRef ?? ''),
      );
      again.ib.once(EventName.execDetailsEnd, () => resolve(out));
      again.ib.reqExecutions(1, { clientId: 5 } as never);
    });
    expect(refs).toEqual(['lost-reply']);
  });
});
