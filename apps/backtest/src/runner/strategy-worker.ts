/** Entry point of the strategy worker thread (see PipelinedStrategy): serves one run. */
import { parentPort } from 'node:worker_threads';
import { serveStrategyPipeline } from './serve-strategy-pipeline';
import type { StrategyPipelineInit } from './strategy-pipeline-protocol';

parentPort?.once('message', (init: StrategyPipelineInit) => void serveStrategyPipeline(init));
