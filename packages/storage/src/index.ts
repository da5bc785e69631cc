/**
 * @packageDocumentation
 * The trading database: kysely schema and migrations on SQLite (better-sqlite3) and PostgreSQL (pg); implements the Journal port.
 */
export {};
