/** The conversion and velocity figures from the mirror: pure computation and rendering; no I/O. */
export { accountsOf, computeMetrics, foldMetrics, salesCycleDaysOf, snapshotOf, type MetricsInput, type MetricsOptions } from './compute';
export { MetricsFold, type FoldOptions } from './fold';
export { groupQualifiedPipeline, isQualifiedAtCreation, qualifiedPipelineByMonth, qualifiedPipelineOf, qualifiedPipelineSeries } from './pipeline';
export { renderReport, type ReportFormat, type ReportOptions } from './report';
export { summarize, ratio, monthOf, monthsBetween, slaText, type Summary } from './stats';
export * from './types';
export { choosePeriod, computeMetricsForPeriod, dayOf, finishForPeriod, inPeriod, DEFAULT_PERIOD_DAYS, lastDays, parseDay, periodBounds, periodDays, previousPeriod, type Period, type PeriodChoice } from './period';
export { HEADER_FIGURES, HeaderTally, headerFigures, type Comparison, type HeaderFigureKey, type PeriodFigures, type PeriodHeader } from './header';
export { NO_CONTACT, computeAccountFunnel, type AccountFunnelInput, type AccountScope } from './account-funnel';
export { NO_ACCOUNTS_NOTE, renderAccountReport } from './account-report';
