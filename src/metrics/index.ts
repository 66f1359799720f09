/** The conversion and velocity figures from the mirror: pure computation and rendering; no I/O. */
export { computeMetrics, salesCycleDaysOf, snapshotOf, type MetricsInput, type MetricsOptions } from './compute';
export { groupQualifiedPipeline, isQualifiedAtCreation, qualifiedPipelineByMonth, qualifiedPipelineOf, qualifiedPipelineSeries } from './pipeline';
export { renderReport, type ReportFormat, type ReportOptions } from './report';
export { summarize, ratio, monthOf, monthsBetween, slaText, type Summary } from './stats';
export * from './types';
export { choosePeriod, computeMetricsForPeriod, dayOf, inPeriod, DEFAULT_PERIOD_DAYS, lastDays, parseDay, periodBounds, periodDays, previousPeriod, type Period, type PeriodChoice } from './period';
export { HEADER_FIGURES, headerFigures, type Comparison, type HeaderFigureKey, type PeriodFigures, type PeriodHeader } from './header';
export { NO_CONTACT, computeAccountFunnel, type AccountFunnelInput, type AccountScope } from './account-funnel';
export { NO_ACCOUNTS_NOTE, renderAccountReport } from './account-report';
