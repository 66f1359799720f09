/** The conversion and velocity figures from the mirror: pure computation and rendering; no I/O. */
export { computeMetrics, salesCycleDaysOf, snapshotOf, type MetricsInput, type MetricsOptions } from './compute';
export { groupQualifiedPipeline, isQualifiedAtCreation, qualifiedPipelineByMonth, qualifiedPipelineOf, qualifiedPipelineSeries } from './pipeline';
export { renderReport, type ReportFormat, type ReportOptions } from './report';
export { summarize, ratio, monthOf, monthsBetween, slaText, type Summary } from './stats';
export * from './types';
