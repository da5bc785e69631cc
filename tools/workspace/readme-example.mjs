// Runs a package README's example as a user would: the first ```ts block after the README's
// "## Example" heading, pasted into a file of a project that installed the packed tarballs,
// once as an ES module (import) and once as CommonJS (the imports turned into require calls,
// the body wrapped in an async function, since CommonJS has no top-level await). The example
// must be plain JavaScript apart from its imports (no type annotations) to run unchanged.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The first ```ts block under `## Example` in `readmePath`. */
export function exampleOf(readmePath) {
  const text = readFileSync(readmePath, 'utf8');
  const section = text.split(/^## Example\s*$/m)[1];
  const block = section === undefined ? undefined : /```ts\n([\s\S]*?)```/.exec(section);
  if (block === null || block === undefined)
    throw new Error(`${readmePath}: no \`\`\`ts block under "## Example"`);
  return block[1];
}

/** The example as CommonJS: `import { a, b } from 'x'` → `const { a, b } = require('x')`. */
export function asCommonJs(source) {
  const imports = [];
  const body = source.replace(/^import \{([^}]*)\} from '([^']+)';\n/gm, (_m, names, from) => {
    imports.push(`const {${names}} = require('${from}');`);
    return '';
  });
  return `${imports.join('\n')}\n(async () => {\n${body}})().catch((error) => {\n  console.error(error);\n  process.exit(1);\n});\n`;
}

/**
 * The tarballs were installed with `--ignore-scripts`, so better-sqlite3 has no native binary.
 * The workspace's own build (the same version, built for the Node.js running this check) is
 * copied in; another version is built from source (`npm rebuild`).
 */
export function provideSqliteAddon({ consumer, root }) {
  const installed = join(consumer, 'node_modules', 'better-sqlite3');
  if (!existsSync(installed)) return [];
  const own = join(root, 'node_modules', 'better-sqlite3');
  const version = (dir) => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version;
  if (existsSync(join(own, 'build', 'Release')) && version(own) === version(installed)) {
    cpSync(join(own, 'build'), join(installed, 'build'), { recursive: true });
    return [];
  }
  const r = spawnSync('npm', ['rebuild', 'better-sqlite3', '--loglevel=error'], {
    cwd: consumer,
    encoding: 'utf8',
  });
  return r.status === 0 ? [] : [`better-sqlite3 does not build in the consumer:\n${r.stderr}`];
}

/**
 * Runs the example of `readmePath` in `consumer` both ways; returns the problems found (empty
 * when both runs exit 0 and print `expect`).
 */
export function runReadmeExample({ consumer, readmePath, name, expect }) {
  const problems = [];
  const source = exampleOf(readmePath);
  const variants = [
    ['import', `${name}-example.mjs`, source],
    ['require', `${name}-example.cjs`, asCommonJs(source)],
  ];
  for (const [how, file, code] of variants) {
    writeFileSync(join(consumer, file), code);
    const started = Date.now();
    const r = spawnSync(process.execPath, [file], { cwd: consumer, encoding: 'utf8' });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (r.status !== 0 || !expect.test(r.stdout))
      problems.push(
        `${name} README example (${how}) failed (exit ${r.status}):\n${r.stdout}${r.stderr}`,
      );
    else
      console.log(
        `  ${name} README example runs with ${how} (${seconds} s): ${r.stdout.trim().split('\n')[0]}`,
      );
  }
  return problems;
}
