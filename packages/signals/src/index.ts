/**
 * @packageDocumentation
 * Alpha signals (volatility, momentum, tail risk, beta, carry), hourly signals, rolling validation and health scores: batch and streaming.
 */
export {};
