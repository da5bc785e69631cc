import { pandasRun, pandasState, type PandasState } from '../kernels/pandas-window';
import { MomentsWindow } from '../kernels/moments-outputs';
import { zsqrt } from '../kernels/shifted-moments';
import { checkedWindow } from '../validate';

/**
 * What the online pandas windows share: the pass of `rollingSum` / `rollingMean` /
 * `rollingVar` run one value at a time (pandas' exact arithmetic, see `pandas-window`), so
 * each value equals the batch function's at the same index, bit for bit.
 */
export class PandasRollingWindow extends MomentsWindow<PandasState> {
  /**
   * @param windowBars window length (an integer in [2, MAX_WINDOW_BARS]).
   * @throws ValidationError (argument `windowBars`) otherwise.
   */
  constructor(windowBars: number) {
    const w = checkedWindow('windowBars', windowBars);
    super(w, pandasState(w), pandasRun, 3);
  }

  /** Sample standard deviation; a variance that rounding pushed below 0 gives 0 (pandas' zsqrt). */
  std(): number {
    return zsqrt(this.variance());
  }
}
