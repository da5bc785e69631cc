/**
 * Online rolling sample covariance (ddof 1) of a pair, for the Beta signal: pandas'
 * `a.rolling(w).cov(b)` semantics (each series masked by the other's NaNs, NaN unless the
 * window holds `windowBars` complete pairs) computed from window sums of the pair shifted by
 * its first valid values: `cov = (Sxy - Sx*Sy/n) / (n - 1)`. Each bar adds the new pair and
 * subtracts the leaving one; every `windowBars` pushes the sums are recomputed exactly from the
 * window. No division on the update path; agrees with pandas to ~1e-13 on returns. The batch
 * Beta loop repeats these operations, so batch and streaming agree bit for bit.
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
  private left: number;
  private n = 0;
  private kx = NaN;
  private ky = NaN;
  private sx = 0;
  private sy = 0;
  private sxy = 0;

  /** @param windowBars window length (an integer >= 2). */
  constructor(windowBars: number) {
    this.windowBars = windowBars;
    this.left = windowBars;
    this.invW = 1 / windowBars;
    this.invW1 = 1 / (windowBars - 1);
    this.ringX = new Float64Array(windowBars);
    this.ringY = new Float64Array(windowBars);
  }

  /** Adds the newest pair; the oldest pair leaves once the window is full. */
  push(x: number, y: number): void {
    const w = this.windowBars;
    const mx = x + 0 * y;
    const my = y + 0 * x;
    const pos = this.pos;
    if (this.filled === w) {
      const ox = this.ringX[pos] as number;
      const oy = this.ringY[pos] as number;
      if (ox + oy === ox + oy) {
        const dx = ox - this.kx;
        const dy = oy - this.ky;
        this.n--;
        this.sx -= dx;
        this.sy -= dy;
        this.sxy -= dx * dy;
      }
    } else {
      this.filled++;
    }
    this.ringX[pos] = mx;
    this.ringY[pos] = my;
    this.pos = pos + 1 === w ? 0 : pos + 1;
    if (mx + my === mx + my) {
      if (this.kx !== this.kx) {
        this.kx = mx;
        this.ky = my;
      }
      const dx = mx - this.kx;
      const dy = my - this.ky;
      this.n++;
      this.sx += dx;
      this.sy += dy;
      this.sxy += dx * dy;
    }
    if (--this.left === 0) {
      this.left = w;
      // re-sum the (full) window exactly, oldest to newest
      let rn = 0;
      let rx = 0;
      let ry = 0;
      let rxy = 0;
      for (let k = 0, j = this.pos; k < w; k++, j = j + 1 === w ? 0 : j + 1) {
        const qx = this.ringX[j] as number;
        const qy = this.ringY[j] as number;
        if (qx + qy === qx + qy) {
          const dx = qx - this.kx;
          const dy = qy - this.ky;
          rn++;
          rx += dx;
          ry += dy;
          rxy += dx * dy;
        }
      }
      this.n = rn;
      this.sx = rx;
      this.sy = ry;
      this.sxy = rxy;
    }
  }

  /** Sample covariance of the window, or NaN unless it holds `windowBars` complete pairs. */
  cov(): number {
    if (this.n < this.windowBars) return NaN;
    return (this.sxy - this.sx * this.sy * this.invW) * this.invW1;
  }
}
