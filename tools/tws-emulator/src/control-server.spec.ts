import { request } from 'node:http';
import { EventName, IBApi, OrderAction, OrderType, SecType } from '@stoqey/ib';
import { startTwsEmulator, type RunningTwsEmulator } from './tws-emulator';

function call(
  port: number,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) as unknown }),
      );
    });
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

describe('control channel', () => {
  let emulator: RunningTwsEmulator;
  beforeAll(async () => {
    emulator = await startTwsEmulator({
      synthetic: { sessions: 60, startDate: '2024-01-02' },
      fillMode: 'manual',
      controlPort: 0,
    });
  });
  afterAll(() => emulator.close());

  it('holds orders in manual fill mode until POST /fill, and disconnects clients on request', async () => {
    const port = emulator.controlPort as number;
    const ib = new IBApi({ host: '127.0.0.1', port: emulator.port, clientId: 9 });
    const ready = new Promise<void>((resolve) => ib.once(EventName.nextValidId, () => resolve()));
    ib.connect();
    await ready;
    const submitted = new Promise<void>((resolve) => ib.once(EventName.openOrder, () => resolve()));
    ib.placeOrder(
      1,
      { symbol: 'SYNA', secType: SecType.STK, exchange: 'SMART', currency: 'USD' },
      {
        action: OrderAction.BUY,
        totalQuantity: 3,
        orderType: OrderType.MKT,
        tif: 'DAY',
        orderRef: 'manual-1',
        transmit: true,
      },
    );
    await submitted;
    expect((await call(port, 'GET', '/state')).json).toMatchObject({
      orders: [{ orderRef: 'manual-1', status: 'Submitted', filled: 0 }],
      clients: [9],
    });
    const filled = new Promise<void>((resolve) =>
      ib.once(EventName.commissionReport, () => resolve()),
    );
    expect((await call(port, 'POST', '/fill')).json).toEqual({ ok: true, filled: 1 });
    await filled;
    expect((await call(port, 'GET', '/state')).json).toMatchObject({
      orders: [{ orderRef: 'manual-1', status: 'Filled', filled: 3 }],
      positions: [{ symbol: 'SYNA', quantity: 3 }],
    });
    const gone = new Promise<void>((resolve) => ib.once(EventName.disconnected, () => resolve()));
    await call(port, 'POST', '/disconnect');
    await gone;
    expect((await call(port, 'POST', '/faults', { orderDrop: { mode: 'nope' } })).status).toBe(400);
    expect((await call(port, 'GET', '/nothing')).status).toBe(404);
  });
});
