/**
 * Crash-test child: appends journal entries to a SQLite file as fast as it can and prints
 * "<seq> <index>" on stdout after each append has resolved (i.e. is committed). The parent
 * (journal-crash.spec.ts) kills it with SIGKILL at random moments and checks that every
 * printed entry survived intact.
 *
 * Usage: node --conditions=@quantpipe/source --import tsx journal-crash-child.ts <db-url> <run-id>
 */
import { writeSync } from 'node:fs';
import { openDatabase } from '../open-database';
import { crashPayload } from './crash-payload';

const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Writes `line` to stdout before returning. stdout is a pipe the parent may be slow to read: a
 * full pipe answers EAGAIN, and the rest is written again after a millisecond's pause.
 */
function printLine(line: string): void {
  const bytes = Buffer.from(`${line}\n`);
  let written = 0;
  while (written < bytes.length) {
    try {
      written += writeSync(1, bytes, written);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
      Atomics.wait(pause, 0, 0, 1);
    }
  }
}

async function main(): Promise<void> {
  const [url, runId] = process.argv.slice(2);
  if (url === undefined || runId === undefined)
    throw new Error('usage: journal-crash-child <db-url> <run-id>');
  const db = await openDatabase(url);
  printLine('ready');
  for (let index = 0; ; index++) {
    const entry = await db.append({
      runId,
      cycle: index,
      kind: index % 3 === 0 ? 'order_intent' : 'decision',
      timestamp: new Date(Date.UTC(2024, 0, 1) + index * 1000).toISOString(),
      ...(index % 3 === 0 ? { clientOrderId: `${runId}-${index}` } : {}),
      payload: crashPayload(runId, index),
    });
    // Synchronous write: the line is out before the next append starts.
    printLine(`${entry.seq} ${index}`);
  }
}

main().catch((error: unknown) => {
  writeSync(2, `${String(error)}\n`);
  process.exit(1);
});
