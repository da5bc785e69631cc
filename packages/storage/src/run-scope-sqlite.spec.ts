import { describeRunScopeContract } from './testing/run-scope-contract';
import { sqliteFileTarget } from './testing/targets';

describeRunScopeContract(sqliteFileTarget);
