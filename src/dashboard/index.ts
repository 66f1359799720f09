/** The dashboard (issue 8): server-rendered pages, JSON and CSV of the metrics, behind ADMIN_TOKEN. */
export { dashboardRouter, type DashboardOptions } from './router';
export { emailLookup } from './email-lookup';
export { FigureSource, readFigures, CYCLE_BUCKETS, type DashboardFigures, type ServedSnapshot } from './figures';
export { PAGE_SLUGS, type PageSlug } from './pages';
export { SESSION_COOKIE } from './auth';
