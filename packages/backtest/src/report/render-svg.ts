import type * as VegaLite from 'vega-lite';

/** A Vega-Lite specification (top level). */
export type ChartSpec = VegaLite.TopLevelSpec;

/**
 * Renders a Vega-Lite chart to a standalone SVG string at build time (headless, no DOM, no
 * canvas), so the report needs no scripts to show it. Vega is loaded on the first chart, not
 * with the package: a run that writes no report (a sweep's worker, a library user's
 * backtest) does not pay for loading it (about 0.2-0.3 s).
 */
export async function renderChartSvg(spec: ChartSpec): Promise<string> {
  const [vega, vegaLite] = await Promise.all([import('vega'), import('vega-lite')]);
  const compiled = vegaLite.compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
