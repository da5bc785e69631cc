import type { QuantpipeError } from '@quantpipe/core';
import {
  EventName,
  SecType,
  type CommissionReport,
  type Contract,
  type Execution,
  type ExecutionFilter,
  type IBApi,
  type Order as IbOrder,
  type OrderState,
} from '@stoqey/ib';
import type { HistoricalChunk } from './historical-plan';
import { isNoDataMessage } from './ibkr-errors';
import type { RawExecution, RawHistoricalBar, RawOpenOrder, RawPosition } from './ibkr-raw-records';
import { stockContract } from './stock-contract';

/**
 * How a request collects its answer: gets `done(value)` and `fail(error)`, subscribes to the
 * events it needs and returns their cleanup (and, optionally, a handler of request-scoped
 * errors that returns true when it settled the request).
 */
export type RequestSetup<T> = (
  done: (value: T) => void,
  fail: (e: QuantpipeError) => void,
) => {
  onError?: (code: number, message: string) => boolean;
  cleanup: () => void;
};

/** What the requests need of their `IbkrConnection`. */
export interface IbkrRequestScope {
  /** The managed account reported at connect ('' before). */
  account(): string;
  /** A fresh request id. */
  nextReqId(): number;
  /** Registers a request under `reqId`, starts it and settles it through `setup`, with a timeout. */
  track<T>(what: string, reqId: number, start: () => void, setup: RequestSetup<T>): Promise<T>;
  /** Runs one request without request id at a time (their end markers carry no id). */
  serial<T>(fn: () => Promise<T>): Promise<T>;
  /** Whether `api` is still the connection's live, ready client (cancels go only there). */
  isCurrent(api: IBApi): boolean;
  /** A commission report seen on the connection, by execution id. */
  commissionFor(execId: string): CommissionReport | undefined;
}

/** One HISTORICAL_DATA request; a "no data" answer is an empty list. */
export function historicalBars(
  scope: IbkrRequestScope,

  api: IBApi,
  symbol: string,
  chunk: HistoricalChunk,
  formatDate: 1 | 2,
): Promise<RawHistoricalBar[]> {
  const reqId = scope.nextReqId();
  const rows: RawHistoricalBar[] = [];
  return scope.track<RawHistoricalBar[]>(
    `historical data ${symbol} ${chunk.durationStr} ${chunk.barSizeSetting} to ${chunk.endDateTime}`,
    reqId,
    () =>
      api.reqHistoricalData(
        reqId,
        stockContract(symbol),
        chunk.endDateTime,
        chunk.durationStr,
        chunk.barSizeSetting as never,
        'TRADES' as never,
        1,
        formatDate,
        false,
      ),
    (done) => {
      const onBar = (
        id: number,
        time: string,
        open: number,
        high: number,
        low: number,
        close: number,
        volume: number,
      ): void => {
        if (id !== reqId) return;
        if (time.startsWith('finished')) done(rows);
        else rows.push({ time, open, high, low, close, volume });
      };
      api.on(EventName.historicalData, onBar);
      return {
        onError: (code, message) => {
          if (code === 162 && isNoDataMessage(message)) {
            done([]);
            return true;
          }
          return false;
        },
        cleanup: () => api.off(EventName.historicalData, onBar),
      };
    },
  );
}

/** ACCOUNT_SUMMARY rows for the given tags, by tag (first managed account). */
export function accountSummary(
  scope: IbkrRequestScope,

  api: IBApi,
  tags: readonly string[],
): Promise<Map<string, { value: string; currency: string; account: string }>> {
  const reqId = scope.nextReqId();
  const out = new Map<string, { value: string; currency: string; account: string }>();
  return scope.track(
    'account summary',
    reqId,
    () => api.reqAccountSummary(reqId, 'All', tags.join(',')),
    (done) => {
      const onRow = (
        id: number,
        account: string,
        tag: string,
        value: string,
        currency: string,
      ): void => {
        if (id !== reqId) return;
        if (scope.account() !== '' && account !== scope.account()) return;
        out.set(tag, { value, currency, account });
      };
      const onEnd = (id: number): void => {
        if (id === reqId) done(out);
      };
      api.on(EventName.accountSummary, onRow);
      api.on(EventName.accountSummaryEnd, onEnd);
      return {
        cleanup: () => {
          api.off(EventName.accountSummary, onRow);
          api.off(EventName.accountSummaryEnd, onEnd);
          if (scope.isCurrent(api)) api.cancelAccountSummary(reqId);
        },
      };
    },
  );
}

/** POSITION rows plus marks from the account-updates stream (PORTFOLIO_VALUE). */
export function positions(scope: IbkrRequestScope, api: IBApi): Promise<RawPosition[]> {
  return scope.serial(async () => {
    const reqId = scope.nextReqId();
    const raw = await scope.track<{ symbol: string; quantity: number; avgCost: number }[]>(
      'positions',
      reqId,
      () => api.reqPositions(),
      (done) => {
        const rows: { symbol: string; quantity: number; avgCost: number }[] = [];
        const onPos = (
          account: string,
          contract: Contract,
          pos: number,
          avgCost?: number,
        ): void => {
          if (scope.account() !== '' && account !== scope.account()) return;
          if (contract.secType !== SecType.STK || !contract.symbol) return;
          rows.push({ symbol: contract.symbol, quantity: pos ?? 0, avgCost: avgCost ?? 0 });
        };
        const onEnd = (): void => done(rows);
        api.on(EventName.position, onPos);
        api.on(EventName.positionEnd, onEnd);
        return {
          cleanup: () => {
            api.off(EventName.position, onPos);
            api.off(EventName.positionEnd, onEnd);
            if (scope.isCurrent(api)) api.cancelPositions();
          },
        };
      },
    );
    const marks = await scope.track<Map<string, number>>(
      'portfolio marks',
      scope.nextReqId(),
      () => api.reqAccountUpdates(true, scope.account()),
      (done) => {
        const out = new Map<string, number>();
        const onPortfolio = (contract: Contract, _pos: number, marketPrice: number): void => {
          if (contract.symbol && Number.isFinite(marketPrice))
            out.set(contract.symbol, marketPrice);
        };
        const onEnd = (): void => done(out);
        api.on(EventName.updatePortfolio, onPortfolio);
        api.on(EventName.accountDownloadEnd, onEnd);
        return {
          cleanup: () => {
            api.off(EventName.updatePortfolio, onPortfolio);
            api.off(EventName.accountDownloadEnd, onEnd);
            if (scope.isCurrent(api)) api.reqAccountUpdates(false, scope.account());
          },
        };
      },
    );
    return raw.map((p) => {
      const mark = marks.get(p.symbol);
      return mark === undefined ? p : { ...p, marketPrice: mark };
    });
  });
}

/** All open orders of the account (any client), with their last status. */
export function openOrders(scope: IbkrRequestScope, api: IBApi): Promise<RawOpenOrder[]> {
  return scope.serial(() =>
    scope.track<RawOpenOrder[]>(
      'open orders',
      scope.nextReqId(),
      () => api.reqAllOpenOrders(),
      (done) => {
        const byId = new Map<number, RawOpenOrder>();
        const onOpen = (
          orderId: number,
          contract: Contract,
          order: IbOrder,
          state: OrderState,
        ): void => {
          byId.set(orderId, { ...byId.get(orderId), orderId, contract, order, state });
        };
        const onStatus = (
          orderId: number,
          status: string,
          filled: number,
          remaining: number,
          avgFillPrice: number,
        ): void => {
          const known = byId.get(orderId);
          if (known)
            byId.set(orderId, {
              ...known,
              status: {
                status,
                filled: filled ?? 0,
                remaining: remaining ?? 0,
                avgFillPrice: avgFillPrice ?? 0,
              },
            });
        };
        const onEnd = (): void => done([...byId.values()]);
        api.on(EventName.openOrder, onOpen);
        api.on(EventName.orderStatus, onStatus);
        api.on(EventName.openOrderEnd, onEnd);
        return {
          cleanup: () => {
            api.off(EventName.openOrder, onOpen);
            api.off(EventName.orderStatus, onStatus);
            api.off(EventName.openOrderEnd, onEnd);
          },
        };
      },
    ),
  );
}

/** Executions matching the filter, each with its commission report when TWS sent one. */
export function executions(
  scope: IbkrRequestScope,
  api: IBApi,
  filter: ExecutionFilter = {},
): Promise<RawExecution[]> {
  const reqId = scope.nextReqId();
  return scope.track<RawExecution[]>(
    'executions',
    reqId,
    () => api.reqExecutions(reqId, filter),
    (done) => {
      const rows: { contract: Contract; execution: Execution }[] = [];
      const onExec = (id: number, contract: Contract, execution: Execution): void => {
        if (id === reqId) rows.push({ contract, execution });
      };
      const onEnd = (id: number): void => {
        if (id !== reqId) return;
        // Commission reports follow their executions; give the last ones a tick to arrive.
        setImmediate(() =>
          done(
            rows.map((r) => {
              const commission = r.execution.execId
                ? scope.commissionFor(r.execution.execId)
                : undefined;
              return commission ? { ...r, commission } : r;
            }),
          ),
        );
      };
      api.on(EventName.execDetails, onExec);
      api.on(EventName.execDetailsEnd, onEnd);
      return {
        cleanup: () => {
          api.off(EventName.execDetails, onExec);
          api.off(EventName.execDetailsEnd, onEnd);
        },
      };
    },
  );
}
