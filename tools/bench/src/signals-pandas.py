"""The spec's pandas signals and validation, timed on the signals benchmark's universe.

Run by tools/bench/src/signals.ts (`npm run bench:signals -- --vs-pandas`), never alone:

    python3 signals-pandas.py <seed_reference.py> <universe folder>

The folder holds `universe.json` ({"symbols": S, "bars": B, "dates": [...]}) and the closes as
little-endian float64: `closes.f64` (S rows of B) and `market.f64` (B). The spec's classes come
from the reference transcription (`seed_reference.py`: `SIGNAL_CLASSES`, `QuantSignal`'s
`validate_rolling_vectorized` and `compute_health_score`), called exactly as written.

After loading it prints {"ready": true}; then each line read from stdin is a request:
"signals" (the returns and the five daily signals of every symbol) or "validation" (rolling
validation, window 252, and health score, lookback 63, of the five signals of every symbol,
on signals computed once beforehand). Each answer is one JSON line: {"seconds": ...,
"cpuSeconds": ..., "checksum": ...} (wall and CPU time of the process). An empty line or end of input stops it.
"""
import importlib.util
import json
import os
import sys
import time

import numpy as np
import pandas as pd


def load_seed(path):
    spec = importlib.util.spec_from_file_location('seed_reference', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main():
    seed = load_seed(sys.argv[1])
    folder = sys.argv[2]
    with open(os.path.join(folder, 'universe.json'), encoding='utf8') as f:
        meta = json.load(f)
    symbols, bars = meta['symbols'], meta['bars']
    index = pd.DatetimeIndex(pd.to_datetime(meta['dates'], format='%Y-%m-%d'))
    closes = np.fromfile(os.path.join(folder, 'closes.f64'), dtype='<f8').reshape(symbols, bars)
    market_close = pd.Series(np.fromfile(os.path.join(folder, 'market.f64'), dtype='<f8'), index=index)
    # seed 2.2: the market's returns, reindexed onto the symbol's dates and forward-filled
    # (the universe shares one calendar, so this is the market's pct_change)
    market_returns = market_close.pct_change().reindex(index).ffill()
    close_series = [pd.Series(closes[s], index=index) for s in range(symbols)]
    config = seed.CONFIG

    def signals_of(close):
        data = {'returns': close.pct_change(), 'close': close, 'market_returns': market_returns}
        return data, {name: cls(config, seed.LOGGER).compute(data)
                      for name, cls in seed.SIGNAL_CLASSES.items()}

    def run_signals():
        checksum = 0.0
        for close in close_series:
            _, signals = signals_of(close)
            checksum += float(signals['Carry'].iloc[-1])
        return checksum

    prepared = [signals_of(close) for close in close_series]

    def run_validation():
        checksum = 0.0
        for data, signals in prepared:
            for name, cls in seed.SIGNAL_CLASSES.items():
                signal = cls(config, seed.LOGGER)
                signal.validate_rolling_vectorized(signals[name], data['returns'], window=252)
                checksum += float(signal.compute_health_score(lookback=63))
        return checksum

    runs = {'signals': run_signals, 'validation': run_validation}
    print(json.dumps({'ready': True, 'pandas': pd.__version__, 'numpy': np.__version__}), flush=True)
    for line in sys.stdin:
        kind = line.strip()
        if not kind:
            break
        t0 = time.perf_counter()
        c0 = time.process_time()
        checksum = runs[kind]()
        cpu_seconds = time.process_time() - c0
        seconds = time.perf_counter() - t0
        print(json.dumps({'seconds': seconds, 'cpuSeconds': cpu_seconds, 'checksum': checksum}),
              flush=True)


if __name__ == '__main__':
    main()
