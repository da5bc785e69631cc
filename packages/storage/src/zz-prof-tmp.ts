import Database from 'better-sqlite3';
import { isIsoDate } from '@quantpipe/core';
const N = 1_000_000;
const bars = Array.from({ length: N }, (_, i) => ({
  symbol: 'S' + String(i % 200).padStart(3, '0'),
  timestamp: new Date(Date.UTC(2000, 0, 3) + Math.floor(i / 200) * 86400000)
    .toISOString()
    .slice(0, 10),
  open: 1.1 + i,
  high: 2.2 + i,
  low: 0.5 + i,
  close: 1.3 + i,
  volume: 1000 + i,
}));
bars.sort((a, b) =>
  a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : a.timestamp < b.timestamp ? -1 : 1,
);
let t = performance.now();
let ok = 0;
for (const b of bars) if (isIsoDate(b.timestamp)) ok++;
console.log('isIsoDate', (performance.now() - t).toFixed(0), 'ms');
for (const [label, ddl] of [
  ['without rowid strict', 'without rowid, strict'],
  ['rowid strict', 'strict'],
] as const) {
  for (const sync of ['FULL']) {
    const f = `/tmp/qpb/p-${Math.random()}.db`;
    const db = new Database(f);
    db.pragma('journal_mode=WAL');
    db.pragma('synchronous=' + sync);
    db.exec(
      `create table market_data (symbol text not null, timeframe text not null, timestamp text not null, open real not null, high real not null, low real not null, close real not null, volume real not null, primary key (symbol, timeframe, timestamp)) ${ddl}`,
    );
    const st = db.prepare(
      `insert into market_data values (?,?,?,?,?,?,?,?) on conflict (symbol,timeframe,timestamp) do update set open=excluded.open, high=excluded.high, low=excluded.low, close=excluded.close, volume=excluded.volume`,
    );
    t = performance.now();
    db.transaction(() => {
      for (const b of bars)
        st.run(b.symbol, '1Day', b.timestamp, b.open, b.high, b.low, b.close, b.volume);
    })();
    console.log(label, sync, 'insert', (performance.now() - t).toFixed(0), 'ms');
    db.pragma('cache_size=-65536');
    t = performance.now();
    db.transaction(() => {
      for (const b of bars)
        st.run(b.symbol, '1Day', b.timestamp, b.open, b.high, b.low, b.close, b.volume);
    })();
    console.log(label, sync, 'upsert (64MB cache)', (performance.now() - t).toFixed(0), 'ms');
    db.close();
  }
}
