/**
 * Crash-test child: writes a whole run inside one `transaction` (run row, orders with fills,
 * signals, snapshots), prints "written" while the transaction is still open, then waits to be
 * killed. The parent (transaction-crash.spec.ts) kills it with SIGKILL and checks that none of
 * it is in the database.
 *
 * Usage: node --conditions=@quantpipe/source --import tsx transaction-crash-child.ts <db-url> <run-id>
 */
import { writeSync } from 'node:fs';
import { openDatabase } from '../open-database';
import { fill, order } from './contract-fixtures';

const ORDERS = 500;

async function main(): Promise<void> {
  const [url, runId] = process.argv.slice(2);
  if (url === undefined || runId === undefined)
    throw new Error('usage: transaction-crash-child <db-url> <run-id>');
  const db = await openDatabase(url);
  await db.transaction(async (tx) => {
    await tx.createRun({ runId, startedAt: '2024-03-01T14:00:00Z', mode: 'backtest' });
    await tx.importOrders(
      Array.from({ length: ORDERS }, (_, i) => {
        const clientOrderId = `${runId}-c${i}-AAPL-open`;
        return {
          order: order({ clientOrderId, runId, status: 'filled', filledQuantity: 40 }),
          fills: [fill({ fillId: `${runId}/f${i}`, clientOrderId, orderId: `${runId}/sim-${i}` })],
        };
      }),
    );
    await tx.savePortfolioSnapshots([
      {
        runId,
        timestamp: '2024-03-01T21:00:00Z',
        cashUsd: 1,
        portfolioValueUsd: 2,
        equityUsd: 2,
        buyingPowerUsd: 1,
      },
    ]);
    writeSync(1, 'written\n');
    // Never commits: the parent kills the process here.
    await new Promise<never>(() => undefined);
  });
}

main().catch((error: unknown) => {
  writeSync(2, `${String(error)}\n`);
  process.exit(1);
});
