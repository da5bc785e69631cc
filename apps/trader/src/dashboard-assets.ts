import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

declare const __filename: string | undefined;

/** This module's path, in CommonJS (the CLI bundle, tests) and in ESM (sources, ESM bundle). */
function selfPath(): string {
  if (typeof __filename === 'string') return __filename;
  return fileURLToPath(import.meta.url);
}

/** The browser files the dashboard serves: uPlot (charts), read once from its package. */
export interface DashboardAssets {
  readonly uplotJs: string;
  readonly uplotCss: string;
}

let cached: DashboardAssets | undefined;

/** Loads uPlot's script and stylesheet from `node_modules` (cached). */
export function dashboardAssets(): DashboardAssets {
  if (!cached) {
    const require = createRequire(selfPath());
    cached = {
      uplotJs: readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8'),
      uplotCss: readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8'),
    };
  }
  return cached;
}
