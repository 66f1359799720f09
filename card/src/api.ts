import { hubspot } from '@hubspot/ui-extensions';
import { BACKEND_ORIGIN } from './backend';
import { CARD_ROUTES, type CardResponse, type CardVerdict } from './contract';

/**
 * The card's calls to its backend on `uld serve`, through `hubspot.fetch` (HubSpot signs each call with the
 * app's client secret and adds `appId`; the backend checks the signature over the URL as HubSpot called it).
 * No custom headers (HubSpot allows none but Authorization) and JSON object bodies only (platform doc §5.4).
 */

/** Who is asking, from the extension's `context`: the backend records the user on a verdict. */
export interface Caller {
  portalId: number;
  userId: number;
  userEmail: string;
}

export type CardCall =
  | { kind: 'view'; contactId: string }
  | { kind: 'verdict'; contactId: string; verdict: CardVerdict }
  | { kind: 're-evaluate'; contactId: string };

/**
 * The URL for a call, its query in a fixed order and every value percent-encoded: the backend verifies the
 * signature over this exact text (plus what HubSpot appends), so it must not depend on object key order.
 */
export function cardUrl(origin: string, call: CardCall, caller: Caller): string {
  const id = encodeURIComponent(call.contactId);
  const route = call.kind === 'view' ? CARD_ROUTES.view(id) : call.kind === 'verdict' ? CARD_ROUTES.verdict(id) : CARD_ROUTES.reEvaluate(id);
  const query = ([['portalId', String(caller.portalId)], ['userId', String(caller.userId)], ['userEmail', caller.userEmail]] as const).map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
  return `${origin}${route}?${query}`;
}

/** Method and body per call: reads are GETs without a body; actions POST a JSON object (`{}` when empty). */
export function cardRequest(call: CardCall): { method: 'GET' | 'POST'; body?: Record<string, unknown> } {
  if (call.kind === 'view') return { method: 'GET' };
  if (call.kind === 'verdict') return { method: 'POST', body: { verdict: call.verdict } };
  return { method: 'POST', body: {} };
}

function isCardResponse(v: unknown): v is CardResponse {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as { ok?: unknown; card?: unknown; error?: { message?: unknown } };
  return (o.ok === true && typeof o.card === 'object' && o.card !== null) || (o.ok === false && typeof o.error?.message === 'string');
}

/**
 * The backend's answer out of what `hubspot.fetch` returned. HubSpot's proxy wraps a 3xx-5xx from the backend
 * in its own error (`BAD_GATEWAY`, the backend's body in `responseBody`, as text; doc §5.4): the backend's own
 * message is taken from there when it is one of ours, else the proxy's message is shown.
 */
export function readAnswer(status: number, text: string): CardResponse {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return failure(`the backend answered ${status} without JSON`);
  }
  if (isCardResponse(json)) return json;
  const wrapped = (json as { responseBody?: unknown; message?: unknown } | null) ?? {};
  if (typeof wrapped.responseBody === 'string') {
    try {
      const inner: unknown = JSON.parse(wrapped.responseBody);
      if (isCardResponse(inner)) return inner;
    } catch {
      // Not JSON inside either: fall through to HubSpot's own message.
    }
  } else if (isCardResponse(wrapped.responseBody)) return wrapped.responseBody;
  return failure(typeof wrapped.message === 'string' ? `HubSpot could not reach the backend: ${wrapped.message}` : `the backend answered ${status} with an unexpected body`);
}

function failure(message: string): CardResponse {
  return { ok: false, error: { code: 'unavailable', message } };
}

/** One call, never throwing: a network failure or a timeout comes back as an error answer the card shows. */
export async function callBackend(call: CardCall, caller: Caller, origin: string = BACKEND_ORIGIN): Promise<CardResponse> {
  try {
    const res = await hubspot.fetch(cardUrl(origin, call, caller), cardRequest(call));
    return readAnswer(res.status, await res.text());
  } catch (err) {
    return failure(`could not reach the backend (${err instanceof Error ? err.message : String(err)})`);
  }
}
