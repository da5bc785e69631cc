import { PandasRollingWindow } from './pandas-rolling-window';

/**
 * Online rolling sum and mean over the last `windowBars` values, with pandas' exact
 * arithmetic (pandas 1.5 `roll_sum` / `roll_mean`): Kahan-compensated add and remove, NaN
 * values skipped but still occupying their slot, a result only when the window holds
 * `windowBars` non-NaN values (min_periods = window), the all-equal-values rule and pandas'
 * sign clamp for means. It runs the pass of `rollingSum` / `rollingMean` one value at a time,
 * so both give identical bits (`variance()` and `std()` are those of `RollingVarWindow`).
 *
 * `new RollingSumWindow(windowBars)` throws a ValidationError (argument `windowBars`) unless
 * the window is an integer in [2, MAX_WINDOW_BARS].
 */
export class RollingSumWindow extends PandasRollingWindow {}
