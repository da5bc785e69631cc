/**
 * Drives the spec's pandas code (`signals-pandas.py` over `seed_reference.py`) for the signals
 * benchmark: writes the universe where Python can read it, starts one Python process that loads
 * it once, and times runs on request, so the two implementations can alternate in one run.
 */
import { spawn, spawnSync, type ChildProcessByStdio } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { SyntheticUniverse } from './signals-data';

const HERE = dirname(fileURLToPath(import.meta.url));
/** The reference transcription of the spec's Python, beside the worktree (`../shared`). */
export const SEED_REFERENCE = join(
  HERE,
  '..',
  '..',
  '..',
  '..',
  'shared',
  'reference',
  'seed_reference.py',
);
/** Debian's interpreter, the one python3-pandas and python3-scipy install into. */
const PYTHON = '/usr/bin/python3';

/** What a timed Python run answers. */
export interface PythonRun {
  /** Wall time. */
  readonly seconds: number;
  /** CPU time of the Python process (less sensitive to a loaded machine). */
  readonly cpuSeconds: number;
  readonly checksum: number;
}

/**
 * Checks that Debian's python3 can import pandas and scipy and that the reference script is
 * there; returns a message saying what to install when not.
 */
export function pythonProblem(): string | undefined {
  const probe = spawnSync(PYTHON, ['-c', 'import pandas, scipy; print(pandas.__version__)'], {
    encoding: 'utf8',
  });
  if (probe.error !== undefined || probe.status !== 0) {
    return (
      `the spec's Python needs ${PYTHON} with pandas and scipy: ` +
      'apt-get install python3-pandas python3-scipy (Debian; pandas 1.5.3, scipy 1.10.1)'
    );
  }
  const check = spawnSync(PYTHON, ['-c', `open(${JSON.stringify(SEED_REFERENCE)}).close()`]);
  if (check.status !== 0) return `the reference script is missing: ${SEED_REFERENCE}`;
  return undefined;
}

/** A running Python process holding the universe, timing runs on request. */
export class PandasRunner {
  private readonly child: ChildProcessByStdio<Writable, Readable, null>;
  private readonly folder: string;
  private readonly lines: AsyncIterator<string>;
  /** pandas and numpy versions, once started. */
  versions = '';

  private constructor(child: ChildProcessByStdio<Writable, Readable, null>, folder: string) {
    this.child = child;
    this.folder = folder;
    this.lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  }

  /** Writes the universe to a temporary folder and starts Python on it. */
  static async start(universe: SyntheticUniverse): Promise<PandasRunner> {
    const folder = mkdtempSync(join(tmpdir(), 'quantpipe-bench-'));
    const symbols = universe.closes.length;
    const bars = universe.dates.length;
    writeFileSync(
      join(folder, 'universe.json'),
      JSON.stringify({ symbols, bars, dates: universe.dates }),
    );
    const closes = new Float64Array(symbols * bars);
    universe.closes.forEach((c, s) => closes.set(c, s * bars));
    writeFileSync(join(folder, 'closes.f64'), new Uint8Array(closes.buffer));
    writeFileSync(join(folder, 'market.f64'), new Uint8Array(universe.marketClose.slice().buffer));
    const script = join(HERE, 'signals-pandas.py');
    const child = spawn(PYTHON, [script, SEED_REFERENCE, folder], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const runner = new PandasRunner(child, folder);
    const ready = JSON.parse(await runner.nextLine()) as { pandas: string; numpy: string };
    runner.versions = `pandas ${ready.pandas}, numpy ${ready.numpy}`;
    return runner;
  }

  /** Times one run of `kind` in Python. */
  async run(kind: 'signals' | 'validation'): Promise<PythonRun> {
    this.child.stdin.write(`${kind}\n`);
    return JSON.parse(await this.nextLine()) as PythonRun;
  }

  /** Stops Python and removes the universe files. */
  async stop(): Promise<void> {
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.stdin.end('\n');
    await exited;
    rmSync(this.folder, { recursive: true, force: true });
  }

  private async nextLine(): Promise<string> {
    const next = await this.lines.next();
    if (next.done === true) throw new Error('the pandas process stopped early');
    return next.value;
  }
}
