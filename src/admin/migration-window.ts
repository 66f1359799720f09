import type { Config } from '../config';
import type { TokenInfo } from '../hubspot/types';
import { signWebhookRequest } from '../../webhooks';
import type { CheckLine } from './check-line';

/**
 * `uld doctor`'s view of a migration window (HUBSPOT_PREVIOUS_*): whether the running receiver really
 * accepts the old app's signature, whether HUBSPOT_ACCESS_TOKEN is still the old app's token, and a
 * reminder that the window is meant to close. No line at all when no window is open.
 */
export async function migrationWindowChecks(config: Config, deps: { fetch: typeof fetch; tokenInfo?: () => Promise<TokenInfo> }): Promise<CheckLine[]> {
  const previous = config.hubspot.previousApp;
  if (!previous) return [];
  const lines: CheckLine[] = [];
  const add = (outcome: CheckLine['outcome'], detail: string, fix?: string) => lines.push({ check: 'migration window', outcome, detail, ...(fix ? { fix } : {}) });

  if (deps.tokenInfo) {
    const appId = await deps.tokenInfo().then(
      (info) => info.appId,
      () => null, // the hubspot check already says why the token does not answer
    );
    if (appId === String(previous.appId)) {
      add('fail', `HUBSPOT_ACCESS_TOKEN belongs to the old app ${previous.appId} (HUBSPOT_PREVIOUS_APP_ID)`, "put the project app's static token in HUBSPOT_ACCESS_TOKEN (its Auth tab); the old app is about to be deleted");
    }
  }

  // The same round-trip as the webhook endpoint check, signed with the old app's secret: a 200 proves the
  // server that answers runs with this window open.
  const url = config.webhookPublicUrl;
  if (url) {
    const body = '[]';
    const headers = { 'Content-Type': 'application/json', ...signWebhookRequest({ clientSecret: previous.clientSecret, uri: url, body }) };
    const status = await deps.fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(5_000) }).then(
      (r) => r.status,
      () => undefined, // unreachable: the webhook endpoint check says so
    );
    if (status === 401) {
      add('fail', `${url} refused a request signed with HUBSPOT_PREVIOUS_CLIENT_SECRET (401): the old app's webhooks are refused and HubSpot retries them`, 'restart `uld serve` with the same HUBSPOT_PREVIOUS_CLIENT_SECRET and HUBSPOT_PREVIOUS_APP_ID as here');
    }
  }

  if (!lines.some((l) => l.outcome === 'fail')) {
    add(
      'warn',
      `open: webhooks signed by the old app ${previous.appId} are accepted, its writes are ours, and a change both apps deliver is worked once`,
      'once the project app has run cleanly for a while, delete the old app in HubSpot (Settings > Integrations > Private Apps), then unset HUBSPOT_PREVIOUS_CLIENT_SECRET and HUBSPOT_PREVIOUS_APP_ID and restart `uld serve`',
    );
  }
  return lines;
}
