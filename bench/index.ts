import type { Bench } from './lib';
import { backfillBench } from './backfill';
import { backfillHistoryBench } from './backfill-history';
import { evaluatorBench } from './evaluator';
import { ingestBench } from './ingest';
import { syncBench } from './sync';
import { syncAccountsBench } from './sync-accounts';
import { dashboardBench } from './dashboard';
import { cardBench } from './card';
import { metricsBench } from './metrics';

/** Every benchmark `npm run bench` runs, in order. Add one line per benchmark. */
export const BENCHES: Bench[] = [evaluatorBench, ingestBench, syncBench, syncAccountsBench, backfillBench, backfillHistoryBench, dashboardBench, cardBench, metricsBench];
