import { PandasRollingWindow } from './pandas-rolling-window';

/**
 * Online rolling sample variance (ddof 1) over the last `windowBars` values with pandas' exact
 * arithmetic (pandas 1.5 `roll_var`): Welford's update with Kahan-compensated means, NaN
 * skipped, min_periods = window, and exactly 0 for a window of identical values. It runs the
 * pass of `rollingVar` / `rollingStd` one value at a time, so both give identical bits
 * (`sum()` and `mean()` are those of `RollingSumWindow`).
 *
 * `new RollingVarWindow(windowBars)` throws a ValidationError (argument `windowBars`) unless
 * the window is an integer in [2, MAX_WINDOW_BARS].
 */
export class RollingVarWindow extends PandasRollingWindow {}
