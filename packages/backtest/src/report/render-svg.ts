import * as vega from 'vega';
import * as vegaLite from 'vega-lite';

/** A Vega-Lite specification (top level). */
export type ChartSpec = vegaLite.TopLevelSpec;

/**
 * Renders a Vega-Lite chart to a standalone SVG string at build time (headless, no DOM, no
 * canvas), so the report needs no scripts to show it.
 */
export async function renderChartSvg(spec: ChartSpec): Promise<string> {
  const compiled = vegaLite.compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
