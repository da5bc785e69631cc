import { createHash } from 'node:crypto';
import type { Timeframe } from '@quantpipe/core';
import { ApiError, money } from './api-error';
import type { BarBook, BookBar } from './bar-book';
import { nyDateOf, nyLocalToMs } from './market-hours';

const TIMEFRAMES: Readonly<Record<string, Timeframe>> = {
  '1Day': '1Day',
  '1D': '1Day',
  '1Hour': '1Hour',
  '1H': '1Hour',
};
const ADJUSTMENTS = ['raw', 'split', 'dividend', 'all'];
const FEEDS = ['sip', 'iex', 'otc', 'boats', 'overnight', 'delayed_sip'];
const SYMBOL = /^[A-Za-z0-9.]{1,12}$/;
/** Alpaca's default page size and maximum. */
export const DEFAULT_BARS_LIMIT = 1000;
export const MAX_BARS_LIMIT = 10_000;

function badRequest(message: string): ApiError {
  return new ApiError(400, 40010001, message);
}

function parseInstant(name: string, value: string): number {
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(value)
    ? Date.parse(`${value}T00:00:00Z`)
    : Date.parse(value);
  if (Number.isNaN(ms) || !/^\d{4}-\d{2}-\d{2}/.test(value))
    throw badRequest(`invalid ${name}: ${value}`);
  return ms;
}

/** Parses `symbols=` (comma separated) or a path symbol; malformed symbols are a 400 as Alpaca's. */
export function parseSymbols(raw: string | null): string[] {
  if (raw === null || raw.trim() === '') throw badRequest('symbols is required');
  const symbols = raw.split(',').map((s) => s.trim());
  for (const s of symbols) if (!SYMBOL.test(s)) throw badRequest(`invalid symbol: ${s}`);
  return symbols.map((s) => s.toUpperCase());
}

/** Alpaca's bar JSON. */
export function barJson(b: BookBar): Record<string, unknown> {
  const { open, high, low, close, volume } = b.bar;
  return {
    t: b.t,
    o: open,
    h: high,
    l: low,
    c: close,
    v: volume,
    n: Math.max(1, Math.round(volume / 100)),
    vw: Number(money((high + low + close) / 3)),
  };
}

/** One page of a historical bars query. */
export interface BarsPage {
  readonly bars: BookBar[];
  readonly nextPageToken: string | null;
}

/**
 * `GET /v2/stocks/bars` and `/v2/stocks/{symbol}/bars`: validates the parameters like Alpaca
 * (400 on a bad timeframe, instant, limit, sort, adjustment or feed), serves bars with
 * start <= t <= min(end, now), symbols in ascending order, `limit` counted across symbols,
 * and an opaque `next_page_token` bound to the query.
 */
export function queryBars(
  book: BarBook,
  symbols: readonly string[],
  params: URLSearchParams,
  nowMs: number,
): BarsPage {
  const tf = TIMEFRAMES[params.get('timeframe') ?? ''];
  if (!tf)
    throw badRequest(
      `invalid timeframe: ${params.get('timeframe') ?? ''} (the emulator serves 1Day and 1Hour)`,
    );
  const start = params.get('start');
  const end = params.get('end');
  const startMs = start ? parseInstant('start', start) : nyLocalToMs(nyDateOf(nowMs), 0);
  const endMs = Math.min(end ? parseInstant('end', end) : nowMs, nowMs);
  if (end && start && parseInstant('end', end) < startMs)
    throw badRequest('end should not be before start');
  const limitRaw = params.get('limit');
  const limit = limitRaw === null || limitRaw === '' ? DEFAULT_BARS_LIMIT : Number(limitRaw);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_BARS_LIMIT)
    throw badRequest(`invalid limit: ${limitRaw ?? ''}`);
  const sort = params.get('sort') ?? 'asc';
  if (sort !== 'asc' && sort !== 'desc') throw badRequest(`invalid sort: ${sort}`);
  const adjustment = params.get('adjustment') ?? 'raw';
  if (!ADJUSTMENTS.includes(adjustment)) throw badRequest(`invalid adjustment: ${adjustment}`);
  const feed = params.get('feed') ?? 'sip';
  if (!FEEDS.includes(feed)) throw badRequest(`invalid feed: ${feed}`);

  const fingerprint = createHash('sha256')
    .update(JSON.stringify([[...symbols].sort(), tf, startMs, endMs, sort]))
    .digest('hex')
    .slice(0, 16);
  let offset = 0;
  const token = params.get('page_token');
  if (token) {
    let decoded: unknown;
    try {
      decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    } catch {
      decoded = undefined;
    }
    const d = decoded as { o?: unknown; q?: unknown } | undefined;
    if (!d || typeof d.o !== 'number' || d.q !== fingerprint)
      throw badRequest('invalid page_token');
    offset = d.o;
  }
  const all = book.query({ symbols, timeframe: tf, startMs, endMs, descending: sort === 'desc' });
  const bars = all.slice(offset, offset + limit);
  const next =
    offset + limit < all.length
      ? Buffer.from(JSON.stringify({ o: offset + limit, q: fingerprint })).toString('base64url')
      : null;
  return { bars, nextPageToken: next };
}
