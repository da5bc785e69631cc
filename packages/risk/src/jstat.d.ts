/** The part of jStat (https://github.com/jstat/jstat, no bundled types) the statistics use. */
declare module 'jstat' {
  interface JStatNormal {
    /** Normal cumulative distribution function. */
    cdf(x: number, mean: number, std: number): number;
    /** Normal quantile (inverse CDF). */
    inv(p: number, mean: number, std: number): number;
  }
  interface JStat {
    readonly normal: JStatNormal;
  }
  const jStat: JStat;
  export default jStat;
}
