// One implementation for the tests and the benchmarks' stacks.
export { deleteKeysUnder } from '../../scripts/redis-keys.js';
