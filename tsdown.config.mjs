// Build settings shared by every project (tsdown). Each project's `build` target in its
// project.json runs `tsdown -c ../../tsdown.config.mjs` with its entries (`--entry.<name>=<file>`);
// the rest is here: ESM (`.js`, the packages are "type": "module") and CommonJS (`.cjs`), each
// with declarations (`.d.ts`, `.d.cts`) and source maps, as the `exports` maps name them. The
// syntax target follows each package's engines.node (>=22.14: node22.14).
import { defineConfig } from 'tsdown';

export default defineConfig({
  // Paths (entries, tsconfig, outDir) are the project's, where the build runs.
  cwd: process.cwd(),
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  platform: 'node',
  outDir: 'dist',
  tsconfig: 'tsconfig.lib.json',
  fixedExtension: false,
  clean: true,
  // The CommonJS builds are wanted (CommonJS consumers); the per-plugin timing report is noise.
  checks: { legacyCjs: false, bundlerTimings: false },
});
