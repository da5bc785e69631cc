import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataError } from '@quantpipe/core';
import { csvBarStore, latestClose } from './bar-store';
import { parseFaults } from './control-server';

describe('csvBarStore', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tws-bars-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('loads daily and hourly files, sorted, and fills at the latest close', () => {
    writeFileSync(
      join(dir, 'ABC_1d.csv'),
      'timestamp,open,high,low,close,volume\n2024-01-03,10,11,9,10.5,100\n2024-01-02,9,10,8,9.5,90\n',
    );
    writeFileSync(
      join(dir, 'ABC_1h.csv'),
      'timestamp,open,high,low,close,volume\n2024-01-04T14:00:00Z,10,11,9,10.75,10\n',
    );
    const store = csvBarStore(dir);
    expect(store.daily.get('ABC')?.map((b) => b.timestamp)).toEqual(['2024-01-02', '2024-01-03']);
    expect(store.hourly.get('ABC')?.[0]?.timestamp).toBe('2024-01-04T14:00:00Z');
    expect(latestClose(store, 'ABC')).toBe(10.75);
  });

  it('names the file and line of a bad row', () => {
    writeFileSync(
      join(dir, 'ABC_1d.csv'),
      'timestamp,open,high,low,close,volume\n2024-01-03,10,x,9,10.5,100\n',
    );
    expect(() => csvBarStore(dir)).toThrow(/ABC_1d\.csv:2/);
    writeFileSync(join(dir, 'ABC_1d.csv'), 'date,o,h,l,c,v\n');
    expect(() => csvBarStore(dir)).toThrow(DataError);
  });
});

describe('parseFaults', () => {
  it('accepts the documented shapes and refuses others', () => {
    expect(parseFaults({ orderDrop: { mode: 'before-fill' } })).toEqual({
      orderDrop: { mode: 'before-fill', count: 1 },
    });
    expect(parseFaults({ historicalDrop: { count: 2 } })).toEqual({ historicalDrop: { count: 2 } });
    expect(() => parseFaults({ orderDrop: { mode: 'explode' } })).toThrow(/mode/);
    expect(() => parseFaults(null)).toThrow();
  });
});
