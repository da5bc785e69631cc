// Stops a launcher on a Node.js older than the workspace's floor (engines.node in the root
// package.json) with a message naming both versions, before anything native loads: on an older
// Node.js, better-sqlite3 13's Node-API 10 addon crashes the process (a segmentation fault) and
// ESM-only dependencies (commander, kysely) cannot be require()d. Kept to syntax Node.js 12 parses.
import { readFileSync } from 'node:fs';

export function checkNodeVersion() {
  const event = process.env.npm_lifecycle_event;
  const command = !event
    ? `node ${process.argv.slice(1).join(' ')}`
    : event === 'start' || event === 'test'
      ? `npm ${event}`
      : `npm run ${event}`;
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
  const range = manifest.engines.node;
  const floor = /^>=\s*(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(range);
  if (!floor) throw new Error(`engines.node in package.json must read ">=X.Y.Z", not "${range}"`);
  const want = floor.slice(1).map((part) => Number(part || 0));
  const have = process.versions.node.split('.').map(Number);
  for (let i = 0; i < 3; i += 1) {
    if (have[i] > want[i]) return;
    if (have[i] < want[i]) {
      console.error(
        `quantpipe needs Node.js ${range} (engines.node in package.json); ` +
          `this is Node.js ${process.versions.node} (${process.execPath}).\n` +
          `Run it on the workspace's pinned Node.js: tools/scripts/with-node ${command}`,
      );
      process.exit(1);
    }
  }
}
