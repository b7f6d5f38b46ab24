/** The CPU Web Worker backend of the simulation engine. */
export { concatPieces } from './concat';
export { CpuWorkerPool, type PartitionResult } from './pool';
export { buildReportInWorker } from './report-client';
export type { ReportPieces } from './messages';
export { planChunks, planPartitions, type Partition } from './partition';
