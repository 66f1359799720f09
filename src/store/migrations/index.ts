import type { MigrationModule } from './types';
import { webhookIngest } from './0001-webhook-ingest';
import { syncMirror } from './0002-sync-mirror';
import { jobs } from './0003-jobs';
import { metricSnapshots } from './0004-metric-snapshots';
import { changeKey } from './0005-change-key';
import { card } from './0006-card';
import { handOffs } from './0007-hand-offs';
import { decisionOrigin } from './0008-decision-origin';
import { asOfFacts } from './0009-as-of-facts';
import { accounts } from './0010-accounts';
import { decisionFirstsIndex } from './0011-decision-firsts-index';

export type { MigrationModule, SqlDialect } from './types';

/**
 * Every migration, in order. Append only: a released migration is never edited, a change is a new module.
 * Names sort in the order they run (Kysely orders by name).
 */
export const MIGRATIONS: ReadonlyArray<readonly [name: string, module: MigrationModule]> = [
  ['0001_webhook_ingest', webhookIngest],
  ['0002_sync_mirror', syncMirror],
  ['0003_jobs', jobs],
  ['0004_metric_snapshots', metricSnapshots],
  ['0005_change_key', changeKey],
  ['0006_card', card],
  ['0007_hand_offs', handOffs],
  ['0008_decision_origin', decisionOrigin],
  ['0009_as_of_facts', asOfFacts],
  ['0010_accounts', accounts],
  ['0011_decision_firsts_index', decisionFirstsIndex],
];
