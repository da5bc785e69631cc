import fc from 'fast-check';
import type { TradeRecord } from '../result/backtest-result';
import { TradeLog } from '../result/trade-log';
import { sampleResult } from '../testing/sample-result';
import {
  EQUITY_CSV_HEADER,
  TRADES_CSV_HEADER,
  csv,
  equityCsv,
  tradesCsv,
  tradesCsvChunks,
} from './csv-files';

/** The rule the writers follow, spelled out field by field (RFC 4180 quoting). */
function expectedField(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

const expectedCsv = (header: readonly string[], rows: readonly (string | number | null)[][]) =>
  [header.join(','), ...rows.map((r) => r.map(expectedField).join(','))].join('\n') + '\n';

const tradeRow = (t: TradeRecord) => [
  t.timestamp,
  t.cycle,
  t.symbol,
  t.side,
  t.quantity,
  t.priceUsd,
  t.referencePriceUsd,
  t.commissionUsd,
  t.slippageUsd,
  t.clientOrderId,
];

const text = fc.string({ unit: fc.constantFrom('a', 'Z', '0', ',', '"', '\n', '\r', ' ', '-') });
const number = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.constantFrom(Number.NaN, Infinity, -Infinity, 0, -0),
);

const trade = fc.record({
  timestamp: text,
  cycle: fc.nat(),
  symbol: text,
  side: fc.constantFrom('buy' as const, 'sell' as const),
  quantity: number,
  priceUsd: number,
  referencePriceUsd: number,
  commissionUsd: number,
  slippageUsd: number,
  clientOrderId: text,
});

describe('csv', () => {
  it('quotes text with commas, quotes or line breaks; leaves null and non-finite empty', () => {
    expect(
      csv(
        ['a', 'b', 'c'],
        [
          ['x,y', 'say "hi"', null],
          [1.5, Number.NaN, 'plain'],
        ],
      ),
    ).toBe('a,b,c\n"x,y","say ""hi""",\n1.5,,plain\n');
  });

  it('writes each row by the field rule (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.oneof(text, number, fc.constant(null)))), (rows) => {
        expect(csv(['h1', 'h2'], rows)).toBe(expectedCsv(['h1', 'h2'], rows));
      }),
    );
  });

  it('is the header and a line break without rows', () => {
    expect(csv(['a', 'b'], [])).toBe('a,b\n');
    expect(tradesCsv([])).toBe(`${TRADES_CSV_HEADER.join(',')}\n`);
    expect(equityCsv([])).toBe(`${EQUITY_CSV_HEADER.join(',')}\n`);
  });
});

describe('tradesCsv', () => {
  it('writes one line per trade by the field rule (property)', () => {
    fc.assert(
      fc.property(fc.array(trade, { maxLength: 30 }), (trades) => {
        expect(tradesCsv(trades)).toBe(expectedCsv(TRADES_CSV_HEADER, trades.map(tradeRow)));
      }),
    );
  });

  it('gives whole lines in chunks that join to the same text', () => {
    // More trades than one chunk holds, so the text comes in several.
    const many = TradeLog.of(fc.sample(trade, { numRuns: 9000, seed: 7 }));
    const chunks = [...tradesCsvChunks(many)];
    // The header and 9,000 lines, 4,096 lines a chunk.
    expect(chunks).toHaveLength(3);
    for (const chunk of chunks) expect(chunk.endsWith('\n')).toBe(true);
    expect(chunks.join('')).toBe(expectedCsv(TRADES_CSV_HEADER, [...many].map(tradeRow)));
  });
});

describe('equityCsv', () => {
  it('writes one line per mark, the hedge flag as 1 or 0', () => {
    const points = sampleResult(60).equity;
    expect(equityCsv(points)).toBe(
      expectedCsv(
        EQUITY_CSV_HEADER,
        points.map((p) => [
          p.timestamp,
          p.date,
          p.cashUsd,
          p.positionsValueUsd,
          p.equityUsd,
          p.grossExposureUsd,
          p.netExposureUsd,
          p.leverage,
          p.benchmarkClose,
          p.feesUsd,
          p.slippageUsd,
          p.hedgeActive ? 1 : 0,
          p.hedgePnlUsd,
        ]),
      ),
    );
  });
});
