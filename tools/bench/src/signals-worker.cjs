// Worker of the signals benchmark's two-core section. It loads the BUILT @quantpipe/signals
// (dist/, as an installed package; worker threads on Node 20 do not run the TypeScript
// loader), takes its share of the close series, and on each request computes the batch
// signals or the validation and health scores, replying with its elapsed milliseconds.
const { parentPort, workerData } = require('node:worker_threads');
const {
  computeDailySignals,
  DAILY_SIGNAL_NAMES,
  healthScore,
  pctChange,
  rollingValidation,
} = require('@quantpipe/signals');

const { dates, marketClose, closes } = workerData;
const marketReturns = pctChange(marketClose);
const returns = closes.map((c) => pctChange(c));
const signals = closes.map((close) => computeDailySignals({ close, dates, marketReturns }));

function batch() {
  let checksum = 0;
  for (const close of closes) {
    const s = computeDailySignals({ close, dates, marketReturns });
    checksum += s.Carry[s.Carry.length - 1];
  }
  return checksum;
}

function validation() {
  let checksum = 0;
  for (let i = 0; i < closes.length; i++) {
    for (const name of DAILY_SIGNAL_NAMES) {
      const v = rollingValidation(signals[i][name], returns[i], { window: 252 });
      checksum += healthScore(v, { lookback: 63 }).score;
    }
  }
  return checksum;
}

parentPort.on('message', (kind) => {
  const t0 = process.hrtime.bigint();
  const checksum = kind === 'batch' ? batch() : validation();
  parentPort.postMessage({ ms: Number(process.hrtime.bigint() - t0) / 1e6, checksum });
});
parentPort.postMessage({ ready: true });
