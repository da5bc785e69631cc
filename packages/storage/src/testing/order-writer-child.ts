/**
 * Two-writer test child: inserts `count` orders into a SQLite file through `insertOrder` (and
 * cancels every fourth through `updateOrder`, a transaction that reads before it writes), as
 * fast as it can, once the file named by `startFile` exists (so two children start together).
 * Prints one line of JSON at the end: `{ "inserted": n, "updated": n, "failed": [messages] }`.
 * Every write is awaited and counted; a failure is reported, not retried here, so the parent
 * sees exactly what the database did.
 *
 * Usage: node --conditions=@quantpipe/source --import tsx order-writer-child.ts <db-url> <run-id> <count> <start-file>
 */
import { existsSync, writeSync } from 'node:fs';
import { openDatabase } from '../open-database';

async function main(): Promise<void> {
  const [url, runId, countText, startFile] = process.argv.slice(2);
  if (url === undefined || runId === undefined || countText === undefined || !startFile)
    throw new Error('usage: order-writer-child <db-url> <run-id> <count> <start-file>');
  const count = Number(countText);
  const db = await openDatabase(url);
  writeSync(1, 'ready\n');
  while (!existsSync(startFile)) await new Promise((resolve) => setTimeout(resolve, 2));
  let inserted = 0;
  let updated = 0;
  const failed: string[] = [];
  for (let index = 0; index < count; index++) {
    const at = new Date(Date.UTC(2024, 0, 2, 15) + index * 1000).toISOString();
    try {
      await db.insertOrder({
        clientOrderId: `${runId}-${index}`,
        runId,
        symbol: index % 2 === 0 ? 'SYNA' : 'SYNB',
        side: index % 3 === 0 ? 'sell' : 'buy',
        quantity: 1 + (index % 50),
        type: 'market',
        timeInForce: 'day',
        status: 'new',
        filledQuantity: 0,
        submittedAt: at,
        updatedAt: at,
      });
      inserted++;
      if (index % 4 === 0) {
        await db.updateOrder(`${runId}-${index}`, { status: 'canceled', updatedAt: at });
        updated++;
      }
    } catch (error) {
      failed.push(error instanceof Error ? error.message : String(error));
    }
  }
  await db.close();
  writeSync(1, `${JSON.stringify({ inserted, updated, failed })}\n`);
}

main().catch((error: unknown) => {
  writeSync(2, `${String(error)}\n`);
  process.exit(1);
});
