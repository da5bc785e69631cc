/**
 * The storage contract: one suite, run unchanged against every target (SQLite memory,
 * SQLite file, PostgreSQL) by the *.spec.ts files next to src/.
 */
import { describeMigrationContract } from './migration-contract';
import { describeExactNumbersContract } from './exact-numbers-contract';
import { describeMarketDataContract } from './market-data-contract';
import { describeJournalContract } from './journal-contract';
import { describeOrderContract } from './order-contract';
import { describeSnapshotContract } from './snapshot-contract';
import { describeTransactionContract } from './transaction-contract';
import type { StorageTarget } from './targets';

export { AWKWARD_NUMBERS } from './contract-fixtures';

/** Registers the whole contract suite for one target. */
export function describeStorageContract(target: StorageTarget): void {
  describe(`storage contract: ${target.name}`, () => {
    describeMigrationContract(target);
    describeExactNumbersContract(target);
    describeMarketDataContract(target);
    describeJournalContract(target);
    describeOrderContract(target);
    describeSnapshotContract(target);
    describeTransactionContract(target);
  });
}
