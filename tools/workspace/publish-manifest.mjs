#!/usr/bin/env node
// The published manifest of a library, made by its `prepack` and undone by its `postpack`
// (npm runs both around `npm pack` and `npm publish`, and reads package.json in between).
//
//   node ../../tools/workspace/publish-manifest.mjs strip    (in packages/<name>)
//   node ../../tools/workspace/publish-manifest.mjs restore
//
// `strip` keeps the workspace manifest in package.json.workspace and writes the published one:
// without the `@quantpipe/source` export condition (it points at src/, which the tarball does
// not ship, and a consumer whose tooling enables custom conditions would fail to resolve it)
// and without these scripts (they refer to the workspace). `restore` puts the original back.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';

const SOURCE_CONDITION = '@quantpipe/source';
const MANIFEST = 'package.json';
const KEPT = 'package.json.workspace';

/** The `exports` map without the source condition, at any depth. */
function withoutSource(value) {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== SOURCE_CONDITION)
      .map(([key, inner]) => [key, withoutSource(inner)]),
  );
}

export function publishedManifest(manifest) {
  const { scripts, ...rest } = manifest;
  const kept = Object.fromEntries(
    Object.entries(scripts ?? {}).filter(([name]) => name !== 'prepack' && name !== 'postpack'),
  );
  return {
    ...rest,
    exports: withoutSource(manifest.exports),
    ...(Object.keys(kept).length > 0 ? { scripts: kept } : {}),
  };
}

const command = process.argv[2];
if (command === 'strip') {
  // A strip left over from an interrupted pack: the kept manifest is the workspace's.
  const original = existsSync(KEPT) ? readFileSync(KEPT, 'utf8') : readFileSync(MANIFEST, 'utf8');
  writeFileSync(KEPT, original);
  writeFileSync(MANIFEST, `${JSON.stringify(publishedManifest(JSON.parse(original)), null, 2)}\n`);
} else if (command === 'restore') {
  if (existsSync(KEPT)) renameSync(KEPT, MANIFEST);
} else if (command !== undefined) {
  console.error(`publish-manifest: unknown command "${command}" (strip or restore)`);
  process.exit(2);
}
