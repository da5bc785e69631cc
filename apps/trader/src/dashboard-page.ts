/**
 * The dashboard: one static page. It loads `/api/snapshot`, then follows `/api/events` (server-
 * sent events, one full snapshot per change) and redraws; charts are uPlot. Text goes into the
 * page through `textContent` only. The page never writes: the server has no write routes.
 */
export const DASHBOARD_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>quantpipe trader</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="assets/uplot.css">
<style>
  body { font: 14px/1.4 system-ui, sans-serif; margin: 0; background: #f6f7f9; color: #1d2430; }
  header { background: #1d2430; color: #fff; padding: 10px 18px; display: flex; gap: 24px; flex-wrap: wrap; align-items: baseline; }
  header h1 { font-size: 18px; margin: 0 12px 0 0; }
  header span b { color: #9fd3ff; font-weight: 600; }
  main { display: grid; grid-template-columns: repeat(auto-fit, minmax(480px, 1fr)); gap: 14px; padding: 14px; }
  section { background: #fff; border-radius: 6px; padding: 10px 14px; box-shadow: 0 1px 2px rgba(0,0,0,.08); overflow: auto; }
  h2 { font-size: 14px; margin: 0 0 8px; text-transform: uppercase; letter-spacing: .04em; color: #4a5568; }
  table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
  th, td { text-align: left; padding: 3px 8px 3px 0; border-bottom: 1px solid #edf0f3; white-space: nowrap; }
  td.num, th.num { text-align: right; }
  .ok { color: #17803d; font-weight: 600; } .bad { color: #c53030; font-weight: 600; }
  .INFO { color: #2b6cb0; } .WARNING { color: #b7791f; } .CRITICAL { color: #c53030; font-weight: 600; }
  .empty { color: #8a94a6; font-style: italic; }
  #summary { font-family: ui-monospace, monospace; font-size: 12px; white-space: pre-wrap; margin: 0; }
  #alerts td:last-child { white-space: normal; }
</style>
</head>
<body>
<header>
  <h1>quantpipe trader</h1>
  <span>run <b data-testid="run-id">–</b></span>
  <span>broker <b data-testid="broker">–</b></span>
  <span>phase <b data-testid="phase">–</b></span>
  <span>next cycle <b data-testid="next-cycle">–</b></span>
  <span>heartbeat <b data-testid="heartbeat">–</b></span>
  <span>broker link <b data-testid="broker-link">–</b></span>
  <span>kill switch <b data-testid="kill-switch">–</b></span>
  <span>live <b data-testid="live">connecting</b></span>
</header>
<main>
  <section><h2>Equity (USD)</h2><div id="equity-chart" data-testid="equity-chart"></div></section>
  <section><h2>Drawdown (%)</h2><div id="drawdown-chart" data-testid="drawdown-chart"></div></section>
  <section><h2>Risk limits</h2><table data-testid="risk"><tbody id="risk"></tbody></table>
    <h2 style="margin-top:10px">Last cycle</h2><pre id="summary" data-testid="last-cycle">–</pre></section>
  <section><h2>Positions</h2><table data-testid="positions"><thead><tr><th>symbol</th><th class="num">qty</th><th class="num">avg entry</th><th class="num">price</th><th class="num">value</th><th class="num">unrealised</th></tr></thead><tbody id="positions"></tbody></table></section>
  <section><h2>Today's orders</h2><table data-testid="orders"><thead><tr><th>submitted</th><th>symbol</th><th>side</th><th class="num">qty</th><th class="num">filled</th><th>status</th></tr></thead><tbody id="orders"></tbody></table></section>
  <section><h2>Today's fills</h2><table data-testid="fills"><thead><tr><th>time</th><th>symbol</th><th>side</th><th class="num">qty</th><th class="num">price</th><th>fill id</th></tr></thead><tbody id="fills"></tbody></table></section>
  <section><h2>Alerts</h2><table data-testid="alerts"><tbody id="alerts"></tbody></table></section>
</main>
<script src="assets/uplot.js"></script>
<script>
(function () {
  'use strict';
  var token = new URLSearchParams(location.search).get('token');
  var suffix = token ? '?token=' + encodeURIComponent(token) : '';
  var charts = {};
  var money = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
  function pct(x) { return x === null || x === undefined || !isFinite(x) ? 'n/a' : (x * 100).toFixed(2) + '%'; }
  function time(iso) { return iso ? iso.replace('T', ' ').replace(/\\.\\d+Z$|Z$/, 'Z') : '–'; }
  function setText(id, text, cls) {
    var el = document.querySelector('[data-testid="' + id + '"]');
    el.textContent = text;
    el.className = cls || '';
  }
  function rows(tbodyId, items, cells, emptyText) {
    var body = document.getElementById(tbodyId);
    body.replaceChildren();
    if (items.length === 0) {
      var tr = document.createElement('tr');
      var td = document.createElement('td');
      td.className = 'empty';
      td.textContent = emptyText;
      tr.appendChild(td);
      body.appendChild(tr);
      return;
    }
    items.forEach(function (item) {
      var tr = document.createElement('tr');
      cells(item).forEach(function (c) {
        var td = document.createElement('td');
        if (typeof c === 'object') { td.textContent = c.text; td.className = c.cls || ''; }
        else td.textContent = c;
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
  }
  function num(x, digits) { return { text: Number(x).toFixed(digits), cls: 'num' }; }
  function chart(id, label, stroke, xs, ys) {
    var el = document.getElementById(id);
    var data = [xs, ys];
    if (charts[id]) { charts[id].setData(data); return; }
    charts[id] = new uPlot({
      width: Math.max(300, el.clientWidth || 460), height: 220,
      scales: { x: { time: true } },
      series: [{}, { label: label, stroke: stroke, width: 2, fill: stroke + '22' }],
      axes: [{}, { size: 80, values: function (u, vals) { return vals.map(function (v) { return Math.abs(v) >= 10000 ? (v / 1000).toFixed(0) + 'k' : String(v); }); } }],
    }, data, el);
  }
  function render(s) {
    setText('run-id', s.runId + (s.dryRun ? ' (dry run)' : ''));
    setText('broker', s.broker);
    setText('phase', s.phase);
    setText('next-cycle', time(s.nextCycleAt));
    setText('heartbeat', time(s.lastHeartbeatAt));
    setText('broker-link', s.brokerConnected ? 'up' : 'DOWN', s.brokerConnected ? 'ok' : 'bad');
    setText('kill-switch', s.killSwitch.tripped ? 'TRIPPED' + (s.killSwitch.reason ? ' (' + s.killSwitch.reason + ')' : '') : 'off', s.killSwitch.tripped ? 'bad' : 'ok');
    var xs = s.equity.map(function (p) { return Date.parse(p.timestamp) / 1000; });
    chart('equity-chart', 'equity', '#2b6cb0', xs, s.equity.map(function (p) { return p.equityUsd; }));
    chart('drawdown-chart', 'drawdown %', '#c53030', xs, s.equity.map(function (p) { return p.drawdown * 100; }));
    var sum = s.lastCycle && s.lastCycle.summary;
    var limits = s.limits;
    var riskRows = [
      ['drawdown', sum ? pct(sum.drawdown) : 'n/a', 'limit ' + pct(limits.maxDrawdown)],
      ['daily P&L', sum ? pct(sum.dailyPnlPct) : 'n/a', 'limit ' + pct(limits.maxDailyLoss)],
      ['leverage', sum ? sum.leverage.toFixed(2) + 'x' : 'n/a', limits.minLeverage.toFixed(1) + '–' + limits.maxLeverage.toFixed(1) + 'x'],
      ['kill switch', s.killSwitch.tripped ? 'TRIPPED' : 'off', s.killSwitch.reason || ''],
      ['hedge', sum ? sum.hedge : 'n/a', ''],
      ['data age', s.dataStalenessSeconds === null ? 'n/a' : Math.round(s.dataStalenessSeconds / 60) + ' min', ''],
    ];
    rows('risk', riskRows, function (r) { return r; }, '');
    document.getElementById('summary').textContent = s.lastCycle ? s.lastCycle.line : 'no cycle yet';
    rows('positions', s.positions, function (p) {
      return [p.symbol, num(p.quantity, 0), num(p.avgEntryPriceUsd, 2), num(p.currentPriceUsd, 2), num(p.marketValueUsd, 0), num(p.unrealizedPnlUsd, 0)];
    }, 'flat');
    rows('orders', s.ordersToday.slice().reverse(), function (o) {
      return [time(o.submittedAt), o.symbol, o.side, num(o.quantity, 0), num(o.filledQuantity, 0), o.status];
    }, 'no orders today');
    rows('fills', s.fillsToday.slice().reverse(), function (f) {
      return [time(f.timestamp), f.symbol, f.side, num(f.quantity, 0), num(f.priceUsd, 2), f.fillId];
    }, 'no fills today');
    rows('alerts', s.alerts.slice().reverse(), function (a) {
      return [time(a.timestamp), { text: a.level, cls: a.level }, a.title, a.message];
    }, 'no alerts');
    document.body.dataset.renders = String(Number(document.body.dataset.renders || 0) + 1);
  }
  fetch('api/snapshot' + suffix).then(function (r) {
    if (!r.ok) throw new Error('snapshot: HTTP ' + r.status);
    return r.json();
  }).then(render).then(function () {
    var events = new EventSource('api/events' + suffix);
    events.addEventListener('snapshot', function (e) { render(JSON.parse(e.data)); });
    events.onopen = function () { setText('live', 'yes', 'ok'); };
    events.onerror = function () { setText('live', 'reconnecting', 'bad'); };
  }).catch(function (error) { setText('live', String(error.message || error), 'bad'); });
})();
</script>
</body>
</html>
`;
