import { describeSweepContract } from './testing/sweep-contract';
import { sqliteFileTarget } from './testing/targets';

describeSweepContract(sqliteFileTarget);
