import { describeRunScopeContract } from './testing/run-scope-contract';
import { postgresSkipReason, postgresTarget, postgresTestUrl } from './testing/targets';

const url = postgresTestUrl();
if (url === undefined) {
  describe.skip(`storage run scope: postgres (skipped: ${postgresSkipReason()})`, () => {
    it('needs a PostgreSQL server', () => undefined);
  });
} else {
  describeRunScopeContract(postgresTarget(url));
}
