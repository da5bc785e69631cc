// The main entry must never load danfojs-node (an optional peer, slow to load).
describe('main entry', () => {
  it('does not load danfojs-node; the danfo entry does (control)', () => {
    let loads = 0;
    jest.isolateModules(() => {
      jest.doMock('danfojs-node', () => {
        loads++;
        return { DataFrame: class {} };
      });
      const api = require('./index') as Record<string, unknown>;
      expect(typeof api['computeDailySignals']).toBe('function');
      expect(loads).toBe(0);
      // control: the separate entry does load it, so the probe above can see a load
      const danfo = require('./danfo') as Record<string, unknown>;
      expect(typeof danfo['dailySignalsFrame']).toBe('function');
      expect(loads).toBe(1);
    });
  });

  it('no source file outside src/danfo imports danfojs-node', () => {
    const fs = require('node:fs') as typeof import('node:fs');
    const path = require('node:path') as typeof import('node:path');
    const importPattern = /(from\s+|require\(\s*|import\(\s*)['"]danfojs/;
    const offenders: string[] = [];
    let scanned = 0;
    const walk = (dir: string): void => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) {
          if (entry.name !== 'danfo' && entry.name !== '__fixtures__') walk(full);
        } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts')) {
          scanned++;
          if (importPattern.test(fs.readFileSync(full, 'utf8'))) offenders.push(full);
        }
      }
    };
    walk(__dirname);
    expect(scanned).toBeGreaterThan(10);
    expect(offenders).toEqual([]);
  });
});
