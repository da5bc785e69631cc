import { describeStorageContract } from './testing/contract';
import { sqliteFileTarget } from './testing/targets';

describeStorageContract(sqliteFileTarget);
