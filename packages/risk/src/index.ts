/**
 * @packageDocumentation
 * Risk monitor, kill switch, stateful tail hedge, slippage model, performance metrics and retry policy for any trading bot.
 */
export {};
