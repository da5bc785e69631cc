/** Test support: part of the storage contract (see contract.ts). */
import { NotFoundError, StateError, StorageError, ValidationError } from '@quantpipe/core';
import { DuplicateKeyError } from '../errors';
import { countRows, fill, freshDatabaseEachTest, order } from './contract-fixtures';
import type { StorageTarget } from './targets';

/** Orders and fills: inserts, updates, fills folded into orders, bulk imports. */
export function describeOrderContract(target: StorageTarget): void {
  describe('orders and fills', () => {
    const session = freshDatabaseEachTest(target);

    it('inserts, reads, updates and lists orders', async () => {
      await session.db.insertOrder(order());
      await session.db.insertOrder(
        order({
          clientOrderId: 'run1-c1-MSFT-open',
          symbol: 'MSFT',
          type: 'limit',
          limitPriceUsd: 0.1 + 0.2,
        }),
      );
      expect(await session.db.getOrder('run1-c1-AAPL-open')).toEqual(order());
      const updated = await session.db.updateOrder('run1-c1-AAPL-open', {
        status: 'canceled',
        id: 'venue-9',
        updatedAt: '2024-03-01T15:05:00Z',
        reason: 'eod',
      });
      expect(updated).toEqual(
        order({
          status: 'canceled',
          id: 'venue-9',
          updatedAt: '2024-03-01T15:05:00Z',
          reason: 'eod',
        }),
      );
      expect(await session.db.getOrderByVenueId('venue-9')).toEqual(updated);
      expect((await session.db.getOrder('run1-c1-MSFT-open')).limitPriceUsd).toBe(0.1 + 0.2);
      expect((await session.db.listOrders({ symbol: 'MSFT' })).map((o) => o.clientOrderId)).toEqual(
        ['run1-c1-MSFT-open'],
      );
      expect(
        (await session.db.listOrders({ statuses: ['canceled'] })).map((o) => o.clientOrderId),
      ).toEqual(['run1-c1-AAPL-open']);
      expect(await session.db.listOrders({ runId: 'run1' })).toHaveLength(2);
      expect(await session.db.findOrder('nope')).toBeUndefined();
    });

    it('refuses a duplicate client order id and keeps the first order', async () => {
      await session.db.insertOrder(order());
      const error = await session.db.insertOrder(order({ quantity: 5 })).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DuplicateKeyError);
      expect(error).toBeInstanceOf(StorageError);
      expect((error as DuplicateKeyError).key).toBe('run1-c1-AAPL-open');
      expect((await session.db.getOrder('run1-c1-AAPL-open')).quantity).toBe(100);
      expect(await countRows(session.db, 'orders')).toBe(1);
    });

    it('refuses a duplicate venue order id', async () => {
      await session.db.insertOrder(order({ id: 'v1' }));
      await expect(
        session.db.insertOrder(order({ clientOrderId: 'other', id: 'v1' })),
      ).rejects.toThrow(DuplicateKeyError);
      expect(await countRows(session.db, 'orders')).toBe(1);
    });

    it('refuses bad orders and impossible updates with typed errors', async () => {
      await expect(session.db.insertOrder(order({ quantity: 1.5 }))).rejects.toThrow(
        ValidationError,
      );
      await expect(session.db.insertOrder(order({ quantity: 0 }))).rejects.toThrow(ValidationError);
      await expect(session.db.insertOrder(order({ type: 'limit' }))).rejects.toThrow(
        /limitPriceUsd/,
      );
      await expect(session.db.insertOrder(order({ submittedAt: '2024-03-01' }))).rejects.toThrow(
        ValidationError,
      );
      await expect(session.db.insertOrder(order({ filledQuantity: 101 }))).rejects.toThrow(
        ValidationError,
      );
      expect(await countRows(session.db, 'orders')).toBe(0);
      await expect(session.db.getOrder('nope')).rejects.toThrow(NotFoundError);
      await expect(
        session.db.updateOrder('nope', { status: 'new', updatedAt: '2024-03-01T15:00:00Z' }),
      ).rejects.toThrow(NotFoundError);
      await session.db.insertOrder(
        order({ status: 'filled', filledQuantity: 100, filledAvgPriceUsd: 10 }),
      );
      await expect(
        session.db.updateOrder('run1-c1-AAPL-open', {
          status: 'canceled',
          updatedAt: '2024-03-01T15:01:00Z',
        }),
      ).rejects.toThrow(StateError);
      await expect(
        session.db.updateOrder('run1-c1-AAPL-open', {
          status: 'filled',
          filledQuantity: 50,
          updatedAt: '2024-03-01T15:01:00Z',
        }),
      ).rejects.toThrow(StateError);
      expect((await session.db.getOrder('run1-c1-AAPL-open')).status).toBe('filled');
    });

    it('folds fills into the order, idempotent per fill id, refusing overfills', async () => {
      await session.db.insertOrder(order());
      const partial = await session.db.recordFill(fill());
      expect(partial).toMatchObject({
        status: 'partially_filled',
        filledQuantity: 40,
        filledAvgPriceUsd: 101.25,
        commissionUsd: 0.4,
        id: 'venue-1',
      });
      expect(await session.db.recordFill(fill())).toEqual(partial);
      await expect(session.db.recordFill(fill({ quantity: 41 }))).rejects.toThrow(
        DuplicateKeyError,
      );
      const done = await session.db.recordFill(
        fill({
          fillId: 'f2',
          quantity: 60,
          priceUsd: 101.5,
          commissionUsd: 0.6,
          timestamp: '2024-03-01T15:00:02Z',
        }),
      );
      expect(done.status).toBe('filled');
      expect(done.filledQuantity).toBe(100);
      expect(done.filledAvgPriceUsd).toBe((101.25 * 40 + 101.5 * 60) / 100);
      expect(done.commissionUsd).toBe(0.4 + 0.6);
      expect(done.updatedAt).toBe('2024-03-01T15:00:02Z');
      await expect(session.db.recordFill(fill({ fillId: 'f3', quantity: 1 }))).rejects.toThrow(
        StateError,
      );
      await expect(
        session.db.recordFill(fill({ fillId: 'f4', clientOrderId: 'unknown' })),
      ).rejects.toThrow(NotFoundError);
      await expect(session.db.recordFill(fill({ fillId: 'f5', symbol: 'MSFT' }))).rejects.toThrow(
        ValidationError,
      );
      await expect(
        session.db.recordFill(fill({ fillId: 'f6', priceUsd: Number.NaN })),
      ).rejects.toThrow(ValidationError);
      expect((await session.db.listFills('run1-c1-AAPL-open')).map((f) => f.fillId)).toEqual([
        'f1',
        'f2',
      ]);
      expect(await countRows(session.db, 'fills')).toBe(2);
      expect((await session.db.getOrder('run1-c1-AAPL-open')).filledQuantity).toBe(100);
    });
    it('loses no fill when fills of one order are recorded concurrently', async () => {
      await session.db.insertOrder(order());
      const fills = Array.from({ length: 10 }, (_, i) =>
        fill({
          fillId: `c${i}`,
          quantity: 10,
          priceUsd: 100 + i,
          commissionUsd: 0.25,
          timestamp: `2024-03-01T15:00:${String(10 + i)}Z`,
        }),
      );
      await Promise.all(fills.map((f) => session.db.recordFill(f)));
      const done = await session.db.getOrder('run1-c1-AAPL-open');
      expect(done.filledQuantity).toBe(100);
      expect(done.status).toBe('filled');
      expect(done.commissionUsd).toBeCloseTo(2.5, 12);
      expect(done.filledAvgPriceUsd).toBeCloseTo(104.5, 9);
      expect(await session.db.listFills('run1-c1-AAPL-open')).toHaveLength(10);
    });

    it('imports finished orders with their fills exactly as insert, recordFill and updateOrder store them', async () => {
      // A filled order in two fills, a partial fill then canceled, and a rejected order.
      const filled = order({ clientOrderId: 'a', status: 'filled', filledQuantity: 100 });
      const filledFills = [
        fill({ fillId: 'a1', clientOrderId: 'a', quantity: 40, priceUsd: 0.1 + 0.2 }),
        fill({
          fillId: 'a2',
          clientOrderId: 'a',
          quantity: 60,
          priceUsd: 101.5,
          commissionUsd: 1 / 3,
          timestamp: '2024-03-01T15:00:02Z',
        }),
      ];
      const canceled = order({
        clientOrderId: 'b',
        symbol: 'MSFT',
        side: 'sell',
        status: 'canceled',
        filledQuantity: 10,
        updatedAt: '2024-03-01T20:00:00Z',
        reason: 'end of session',
      });
      const canceledFills = [
        fill({
          fillId: 'b1',
          clientOrderId: 'b',
          orderId: 'venue-2',
          symbol: 'MSFT',
          side: 'sell',
          quantity: 10,
        }),
      ];
      const rejected = order({
        clientOrderId: 'c',
        id: 'venue-3',
        status: 'rejected',
        updatedAt: '2024-03-01T15:00:00Z',
        reason: 'insufficient buying power',
      });
      const entries = [
        { order: filled, fills: filledFills },
        { order: canceled, fills: canceledFills },
        { order: rejected, fills: [] },
      ];

      // The one-row-at-a-time path, on a second database of the same target.
      const otherFresh = await target.fresh();
      const other = await otherFresh.open();
      try {
        for (const { order: o, fills } of entries) {
          await other.insertOrder({
            ...o,
            status: 'new',
            filledQuantity: 0,
            updatedAt: o.submittedAt,
          });
          for (const f of fills) await other.recordFill(f);
          if (o.status !== 'filled') {
            await other.updateOrder(o.clientOrderId, {
              status: o.status,
              updatedAt: o.updatedAt,
              ...(o.reason === undefined ? {} : { reason: o.reason }),
            });
          }
        }
        expect(await session.db.importOrders(entries)).toBe(3);
        expect(await session.db.listOrders()).toEqual(await other.listOrders());
        expect(await session.db.listFills()).toEqual(await other.listFills());
      } finally {
        await other.close();
        await otherFresh.cleanup();
      }
      expect(await session.db.getOrder('a')).toMatchObject({
        status: 'filled',
        id: 'venue-1',
        filledAvgPriceUsd: ((0.1 + 0.2) * 40 + 101.5 * 60) / 100,
        commissionUsd: 0.4 + 1 / 3,
        updatedAt: '2024-03-01T15:00:02Z',
      });
      expect(await session.db.importOrders([])).toBe(0);
    });

    it('imports thousands of orders in one call, and refuses a bad batch without writing any of it', async () => {
      const many = Array.from({ length: 1234 }, (_, i) => ({
        order: order({ clientOrderId: `o${i}`, status: 'filled', filledQuantity: 100 }),
        fills: [fill({ fillId: `f${i}`, clientOrderId: `o${i}`, orderId: `v${i}`, quantity: 100 })],
      }));
      expect(await session.db.importOrders(many)).toBe(1234);
      expect(await countRows(session.db, 'orders')).toBe(1234);
      expect(await countRows(session.db, 'fills')).toBe(1234);

      const fresh1 = { order: order({ clientOrderId: 'new1' }), fills: [] };
      // Already stored (order, then fill id), repeated in the batch, inconsistent with its fills.
      await expect(
        session.db.importOrders([fresh1, many[7] as (typeof many)[number]]),
      ).rejects.toThrow(DuplicateKeyError);
      await expect(
        session.db.importOrders([
          {
            order: order({ clientOrderId: 'new2', status: 'filled', filledQuantity: 100 }),
            fills: [fill({ fillId: 'f3', clientOrderId: 'new2', quantity: 100 })],
          },
        ]),
      ).rejects.toThrow(DuplicateKeyError);
      await expect(session.db.importOrders([fresh1, fresh1])).rejects.toMatchObject({
        table: 'orders',
        key: 'new1',
      });
      // A fill id the batch repeats, on two orders.
      await expect(
        session.db.importOrders([
          {
            order: order({ clientOrderId: 'new8', filledQuantity: 40 }),
            fills: [fill({ fillId: 'twice', clientOrderId: 'new8', quantity: 40 })],
          },
          {
            order: order({ clientOrderId: 'new9', filledQuantity: 40 }),
            fills: [fill({ fillId: 'twice', clientOrderId: 'new9', quantity: 40 })],
          },
        ]),
      ).rejects.toMatchObject({ table: 'fills', key: 'twice' });
      await expect(
        session.db.importOrders([
          {
            order: order({ clientOrderId: 'new3', status: 'filled', filledQuantity: 100 }),
            fills: [fill({ fillId: 'g1', clientOrderId: 'new3', quantity: 40 })],
          },
        ]),
      ).rejects.toThrow(/disagrees with its fills/);
      await expect(
        session.db.importOrders([
          {
            order: order({ clientOrderId: 'new4' }),
            fills: [fill({ fillId: 'g2', clientOrderId: 'elsewhere' })],
          },
        ]),
      ).rejects.toThrow(ValidationError);
      // The bad fill is named by its place in the batch.
      const badFill = session.db.importOrders([
        fresh1,
        {
          order: order({ clientOrderId: 'new5', filledQuantity: 40 }),
          fills: [fill({ fillId: 'g3', clientOrderId: 'new5', priceUsd: Number.NaN })],
        },
      ]);
      await expect(badFill).rejects.toThrow(ValidationError);
      await expect(badFill).rejects.toMatchObject({
        argument: 'entries[1].fills[0].priceUsd',
        message: expect.stringMatching(
          /^entries\[1\]\.fills\[0\]\.priceUsd: expected a finite price > 0/,
        ),
      });
      await expect(
        session.db.importOrders([
          {
            order: order({ clientOrderId: 'new6', filledQuantity: 100 }),
            fills: [fill({ fillId: 'g4', clientOrderId: 'new6', quantity: 101 })],
          },
        ]),
      ).rejects.toThrow(StateError);
      // A venue id already taken by a stored order.
      await expect(
        session.db.importOrders([{ order: order({ clientOrderId: 'new7', id: 'v1' }), fills: [] }]),
      ).rejects.toThrow(DuplicateKeyError);
      expect(await countRows(session.db, 'orders')).toBe(1234);
      expect(await countRows(session.db, 'fills')).toBe(1234);
      expect(await session.db.findOrder('new1')).toBeUndefined();
    });
  });
}
