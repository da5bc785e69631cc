/**
 * `@quantpipe/core/testing`: helpers for the tests and benchmarks of code built on quantpipe.
 * Nothing here is needed at run time.
 */
export { seededRandom } from './seeded-random';
