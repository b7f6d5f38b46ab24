/** The CPU engine in the app: common/engine/cpu on a pool of Web Workers. */
export { CpuWorkerPool } from './pool';
export { prestartSummaryWorker, stopSummaryWorker, summarizeInWorker } from './summary-client';
export type { SummaryPieces } from '../../../common/engine/cpu/messages';
