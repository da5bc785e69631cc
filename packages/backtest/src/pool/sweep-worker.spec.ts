// A sweep worker thread loads only what a job runs: storage (and kysely with it, some 260
// modules) is loaded by the sources that read a database, not by every thread of the pool.
describe('sweep worker module', () => {
  it('does not load storage; a module that records results does (control)', () => {
    let loads = 0;
    jest.isolateModules(() => {
      jest.doMock('@quantpipe/storage', () => {
        loads++;
        return jest.requireActual('@quantpipe/storage') as object;
      });
      const worker = require('./sweep-worker') as { default: unknown };
      expect(typeof worker.default).toBe('function');
      expect(loads).toBe(0);
      // control: the probe sees a load where there is one
      const local = require('./run-local-sweep') as Record<string, unknown>;
      expect(typeof local['runLocalSweep']).toBe('function');
      expect(loads).toBe(1);
    });
  });
});
