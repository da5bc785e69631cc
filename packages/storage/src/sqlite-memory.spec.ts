import { describeStorageContract } from './testing/contract';
import { sqliteMemoryTarget } from './testing/targets';

describeStorageContract(sqliteMemoryTarget);
