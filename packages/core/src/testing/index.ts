/**
 * `@quantpipe/core/testing`: helpers for the tests and benchmarks of code built on quantpipe.
 * Nothing here is needed at run time.
 */
export { freePort } from './free-port';
export { seededRandom } from './seeded-random';
