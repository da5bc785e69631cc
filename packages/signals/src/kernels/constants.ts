/** sqrt(252): daily to annualised volatility (np.sqrt(252), correctly rounded either way). */
export const SQRT_252_VALUE = Math.sqrt(252);

/**
 * Carry seasonality `sin(2*pi*doy/365)` for doy 0..366, evaluated in numpy's order
 * `((2*pi)*doy)/365`. A frozen lookup table: computed once, never written.
 */
export const SEASONALITY_TABLE: Readonly<Float64Array> = (() => {
  const table = new Float64Array(367);
  for (let d = 0; d <= 366; d++) table[d] = Math.sin((2 * Math.PI * d) / 365);
  return table;
})();
