import { describeSweepContract } from './testing/sweep-contract';
import { postgresSkipReason, postgresTarget, postgresTestUrl } from './testing/targets';

const url = postgresTestUrl();
if (url === undefined) {
  describe.skip(`sweep records: postgres (skipped: ${postgresSkipReason()})`, () => {
    it('needs a PostgreSQL server', () => undefined);
  });
} else {
  describeSweepContract(postgresTarget(url));
}
