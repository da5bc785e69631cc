#!/usr/bin/env node
// The API reference: TypeDoc over every library's public entry points (typedoc.json at the
// root; a package with subpath entries lists them in its own typedoc.json) into one site,
// dist/api-docs/. A TypeDoc warning (a {@link} to nothing, a public type that is not exported)
// fails the build; then every relative link and anchor of every page is checked.
//
//   node tools/docs/build-api-docs.mjs               (npm run docs:api)
//   node tools/docs/build-api-docs.mjs --links-only  (check the built site again)
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const out = join(root, 'dist', 'api-docs');
const started = Date.now();

const linksOnly = process.argv.includes('--links-only');
const typedoc = linksOnly
  ? { status: 0 }
  : spawnSync(join(root, 'node_modules', '.bin', 'typedoc'), ['--logLevel', 'Warn'], {
      cwd: root,
      encoding: 'utf8',
    });
if (typedoc.status !== 0) {
  console.error(`${typedoc.stdout}${typedoc.stderr}\ntypedoc failed (a warning is an error)`);
  process.exit(1);
}

/** Every file under `dir`. */
function files(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)],
  );
}

const pages = files(out).filter((f) => f.endsWith('.html'));
const ids = new Map();
/** The element ids of an HTML page (anchors a link may name). */
function idsOf(file) {
  let found = ids.get(file);
  if (found === undefined) {
    found = new Set(
      [...readFileSync(file, 'utf8').matchAll(/\s(?:id|name)="([^"]+)"/g)].map((m) => m[1]),
    );
    ids.set(file, found);
  }
  return found;
}

const broken = [];
let checked = 0;
for (const page of pages) {
  const html = readFileSync(page, 'utf8');
  for (const [, link] of html.matchAll(/\s(?:href|src)="([^"]*)"/g)) {
    if (/^(?:[a-z][a-z0-9+.-]*:|\/\/)/i.test(link)) continue; // http:, mailto:, data:, ...
    checked++;
    const decoded = link.replaceAll('&amp;', '&');
    const [path, fragment] = decoded.split('#', 2);
    const target = path === '' ? page : resolve(dirname(page), decodeURIComponent(path));
    if (!existsSync(target)) broken.push(`${relative(out, page)}: ${link} (no such file)`);
    else if (
      fragment &&
      target.endsWith('.html') &&
      !idsOf(target).has(decodeURIComponent(fragment))
    )
      broken.push(`${relative(out, page)}: ${link} (no anchor #${fragment})`);
  }
}

const seconds = ((Date.now() - started) / 1000).toFixed(1);
for (const b of broken.slice(0, 50)) console.error(`  broken link: ${b}`);
console.log(
  `api docs: ${pages.length} pages, ${checked} links checked, ${broken.length} broken (${seconds} s) -> ${relative(root, join(out, 'index.html'))}`,
);
if (broken.length > 0) process.exit(1);
