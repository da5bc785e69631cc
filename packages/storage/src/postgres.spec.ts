import { describeStorageContract } from './testing/contract';
import { postgresSkipReason, postgresTarget, postgresTestUrl } from './testing/targets';

const url = postgresTestUrl();
if (url === undefined) {
  describe.skip(`storage contract: postgres (skipped: ${postgresSkipReason()})`, () => {
    it('needs a PostgreSQL server', () => undefined);
  });
} else {
  describeStorageContract(postgresTarget(url));
}
