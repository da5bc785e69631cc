/**
 * @packageDocumentation
 * `@quantpipe/data-adapters/csv`: daily and hourly bars from CSV files (`CsvHistory`), with no
 * broker SDK loaded.
 */
export { CsvHistory, readCsvFolder } from './csv-history';
export type { CsvFolderBars } from './csv-history';
export { parseCsvBars, CSV_BAR_HEADER } from './parse-csv-bars';
export type { CsvSource } from './parse-csv-bars';
