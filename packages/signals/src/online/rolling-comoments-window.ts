/**
 * Online rolling sample covariance (ddof 1) of a pair, for the Beta signal: pandas'
 * `a.rolling(w).cov(b)` semantics (each series masked by the other's NaNs, NaN unless the
 * window holds `windowBars` complete pairs) computed from Kahan-compensated window sums of the
 * pair shifted by its first valid values: `cov = (Sxy - Sx*Sy/n) / (n - 1)`. No division on the
 * update path; agrees with pandas to ~1e-15 on returns. The batch Beta loop repeats these
 * operations, so batch and streaming agree bit for bit.
 */
export class RollingCoMomentsWindow {
  /** Window length in bars. */
  readonly windowBars: number;
  private readonly invW: number;
  private readonly invW1: number;
  private readonly ringX: Float64Array;
  private readonly ringY: Float64Array;
  private pos = 0;
  private filled = 0;
  private n = 0;
  private kx = NaN;
  private ky = NaN;
  private sx = 0;
  private sxCa = 0;
  private sxCr = 0;
  private sy = 0;
  private syCa = 0;
  private syCr = 0;
  private sxy = 0;
  private sxyCa = 0;
  private sxyCr = 0;

  /** @param windowBars window length (an integer >= 2). */
  constructor(windowBars: number) {
    this.windowBars = windowBars;
    this.invW = 1 / windowBars;
    this.invW1 = 1 / (windowBars - 1);
    this.ringX = new Float64Array(windowBars);
    this.ringY = new Float64Array(windowBars);
  }

  /** Adds the newest pair; the oldest pair leaves once the window is full. */
  push(x: number, y: number): void {
    const mx = x + 0 * y;
    const my = y + 0 * x;
    const pos = this.pos;
    if (this.filled === this.windowBars) {
      const ox = this.ringX[pos] as number;
      const oy = this.ringY[pos] as number;
      if (ox + oy === ox + oy) {
        const dx = ox - this.kx;
        const dy = oy - this.ky;
        const dxy = dx * dy;
        this.n--;
        let u = -dx - this.sxCr;
        let t = this.sx + u;
        this.sxCr = t - this.sx - u;
        this.sx = t;
        u = -dy - this.syCr;
        t = this.sy + u;
        this.syCr = t - this.sy - u;
        this.sy = t;
        u = -dxy - this.sxyCr;
        t = this.sxy + u;
        this.sxyCr = t - this.sxy - u;
        this.sxy = t;
      }
    } else {
      this.filled++;
    }
    this.ringX[pos] = mx;
    this.ringY[pos] = my;
    this.pos = pos + 1 === this.windowBars ? 0 : pos + 1;
    if (mx + my === mx + my) {
      if (this.kx !== this.kx) {
        this.kx = mx;
        this.ky = my;
      }
      const dx = mx - this.kx;
      const dy = my - this.ky;
      const dxy = dx * dy;
      this.n++;
      let u = dx - this.sxCa;
      let t = this.sx + u;
      this.sxCa = t - this.sx - u;
      this.sx = t;
      u = dy - this.syCa;
      t = this.sy + u;
      this.syCa = t - this.sy - u;
      this.sy = t;
      u = dxy - this.sxyCa;
      t = this.sxy + u;
      this.sxyCa = t - this.sxy - u;
      this.sxy = t;
    }
  }

  /** Sample covariance of the window, or NaN unless it holds `windowBars` complete pairs. */
  cov(): number {
    if (this.n < this.windowBars) return NaN;
    return (this.sxy - this.sx * this.sy * this.invW) * this.invW1;
  }
}
