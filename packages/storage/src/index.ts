/**
 * @packageDocumentation
 * The trading database: kysely schema and versioned migrations on SQLite (better-sqlite3) and
 * PostgreSQL (pg), behind one typed API chosen by URL. Implements the core `Journal`,
 * `MarketDataCache`, `MarketData` and `AlertSink` ports.
 */
export { openDatabase } from './open-database';
export type { OpenDatabaseOptions } from './open-database';
export { TradingDatabase } from './trading-database';
/** Re-exported from `@quantpipe/core`, where the Journal port defines it. */
export { JOURNAL_ENTRY_KINDS } from '@quantpipe/core';
export type { TradingDatabaseParts } from './trading-database';
export type { SqliteHandle, SqliteStatement } from './storage-context';
export { DuplicateKeyError, SchemaVersionError } from './errors';
export {
  DatabaseNotFoundError,
  CorruptDatabaseError,
  DatabaseFullError,
  ReadOnlyDatabaseError,
} from './open-errors';
export type { SnapshotScope } from './run-scope';
export { parseDatabaseUrl } from './url';
export type { DatabaseLocation, StorageDialect, SqliteOpenMode } from './url';
export type { SqliteSynchronous } from './sqlite-connection';
export { SCHEMA_VERSION } from './migrations';
export {
  startSweep,
  getSweep,
  finishSweep,
  recordSweepJob,
  listSweepJobs,
  recordedSweepJobIds,
  countSweepJobs,
} from './sweep-records';
export type {
  SweepInput,
  SweepRecord,
  SweepJobPhase,
  SweepJobRecord,
  DailyEquity,
} from './sweep-records';
export { journalChecksum } from './checksum';
export type { ChecksummedEntry } from './checksum';
export type {
  OrderRecord,
  OrderUpdate,
  OrderWithFills,
  OrderQuery,
  SignalRecord,
  SignalQuery,
  PortfolioSnapshot,
  StoredAlert,
  AlertQuery,
  RunStatus,
  RunInput,
  RunRecord,
  RunStart,
} from './records';
export type {
  StorageSchema,
  MarketDataTable,
  SignalsTable,
  PositionsTable,
  OrdersTable,
  FillsTable,
  PortfolioTable,
  AlertsTable,
  RunsTable,
  JournalTable,
  EngineStateTable,
  SchemaInfoTable,
} from './schema';
export type { SweepsTable, SweepJobsTable } from './sweep-tables';
