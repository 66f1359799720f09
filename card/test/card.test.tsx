import { Alert, Button, DescriptionListItem, Flex, LoadingButton, LoadingSpinner, ProgressBar, Select, StatusTag, Text } from '@hubspot/ui-extensions';
import { createRenderer, RenderedNodeType } from '@hubspot/ui-extensions/testing';
import type { ReactElement } from 'react';
import { Card } from '../src/Card';
import type { CardResponse, CardStatus, CardView } from '../src/contract';
import { HAND_OFF, VIEWS } from './views';

/**
 * Issue 13, acceptance 1: the card rendered offline with HubSpot's own test renderer, for each status, a contact
 * with two disqualifiers and one missing data; the buttons call the backend through `hubspot.fetch`, whose worker
 * global (`self.hsFetch`, what the SDK's fetch calls) is the only thing replaced.
 */

type FetchOptions = { method?: string; body?: Record<string, unknown> };
const hsFetch = jest.fn<Promise<Response>, [string, FetchOptions]>();
beforeAll(() => {
  // HubSpot's extension worker provides `self.hsFetch`; Node has no `self`.
  Object.assign(globalThis, { self: globalThis, hsFetch });
});
beforeEach(() => hsFetch.mockReset());

// The renderer's default context: portal 123, user 1 (fake_email@example.com), contact 123.
const QUERY = 'portalId=123&userId=1&userEmail=fake_email%40example.com';
const ORIGIN = 'https://uld-backend.invalid';

const json = (body: unknown, status = 200) => Promise.resolve(new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }));
const ok = (card: CardView, extra: Partial<Extract<CardResponse, { ok: true }>> = {}) => json({ ok: true, card, ...extra });

async function renderCard(first: () => Promise<Response>) {
  hsFetch.mockImplementationOnce(first);
  const r = createRenderer('crm.record.tab');
  r.render(<Card context={r.mocks.context} actions={r.mocks.actions} />);
  await r.waitFor(() => expect(r.maybeFind(LoadingSpinner)).toBeNull());
  return r;
}
type R = Awaited<ReturnType<typeof renderCard>>;
const buttons = (r: R) => r.findAll(LoadingButton).map((b) => b.text);
/** The text a node shows, its descendants' included (the renderer's `.text` has only the direct text). */
type Shown = { nodeType: RenderedNodeType; text: string | null; childNodes?: Shown[] };
function deepText(node: Shown): string {
  if (node.nodeType === RenderedNodeType.Text) return node.text ?? '';
  return (node.childNodes ?? []).map(deepText).join('');
}
/** All the text a rep sees, in reading order (labels passed as props, e.g. DescriptionListItem's, are not text). */
const texts = (r: R) => deepText(r.getRootNode());
const item = (r: R, label: string) => deepText(r.find(DescriptionListItem, { label }));

describe('the card for each status', () => {
  // [status, tag variant, buttons, the "next" line, the reason groups shown]
  it.each<[CardStatus, string, string[], string, string[]]>([
    ['disqualified', 'danger', ['Re-evaluate now'], 'To reach Nurture:no disqualifier: Email is on a free-mail domain (gmail.com)no disqualifier: Company is a competitor (Rival Inc)', ['Why this status', 'Disqualifiers', 'Fit', 'Engagement (after decay)']],
    ['needs_data', 'warning', ['Re-evaluate now'], 'To reach Nurture:a value for jobtitlea value for company.industry', ['Why this status', 'Missing data', 'Engagement (after decay)']],
    ['nurture', 'default', ['Re-evaluate now'], 'To reach Marketing qualified (MQL):12 more points in total', ['Why this status', 'Fit', 'Engagement (after decay)', 'Other']],
    ['marketing_qualified', 'info', ['Re-evaluate now'], 'To reach Sales ready (SQL):28 more points in total8 more engagement points', ['Why this status', 'Fit', 'Engagement (after decay)']],
    ['sales_ready', 'success', ['Accept', 'Reject', 'Re-evaluate now'], 'Top of the ladder', ['Why this status', 'Fit', 'Engagement (after decay)']],
  ])('%s: the status, scores against the ladder, what comes next, the reasons and the buttons that apply', async (status, variant, expectedButtons, next, groups) => {
    const view = VIEWS[status];
    const r = await renderCard(() => ok(view));
    expect(hsFetch).toHaveBeenCalledWith(`${ORIGIN}/card/contacts/123?${QUERY}`, { method: 'GET' });

    const tag = r.findByTestId(StatusTag, 'status');
    expect(tag.text).toBe(view.statusLabel);
    expect(tag.props.variant).toBe(variant);
    expect(r.findByTestId(Text, 'evaluated').text).toBe('Definition version 7, evaluated Dec 5, 2026, 3:30 AM');
    expect([item(r, 'Total'), item(r, 'Fit'), item(r, 'Engagement')]).toEqual([view.scores.total, view.scores.fit, view.scores.engagement].map(String));
    // One bar per threshold of each rung: the MQL total, then the SQL total, fit and engagement.
    expect(r.findAll(ProgressBar).map((b) => [b.props.title, b.props.variant])).toEqual(
      view.ladder.flatMap((rung) => rung.thresholds.map((t) => [expect.stringMatching(new RegExp(`^(Total|Fit|Engagement) ${t.actual} of ${t.required}$`)), t.shortBy > 0 ? 'danger' : 'success'])),
    );
    expect(texts(r)).toContain(next);
    expect(r.findAll(Flex, (n) => String(n.props.testId).startsWith('reasons-')).map((g) => g.find(Text).text)).toEqual(groups);
    for (const line of Object.values(view.reasons).flat()) expect(texts(r)).toContain(line.text);
    expect(buttons(r)).toEqual(expectedButtons);
    expect(r.maybeFind(Select) !== null).toBe(expectedButtons.includes('Reject'));
    expect(r.maybeFind(Alert)).toBeNull();
  });

  it('a contact with two disqualifiers shows both, red, and offers no verdict', async () => {
    const r = await renderCard(() => ok(VIEWS.disqualified));
    expect(r.findByTestId(StatusTag, 'status').props.variant).toBe('danger');
    const text = texts(r);
    expect(text).toContain('DisqualifiersEmail is on a free-mail domain (gmail.com)Company is a competitor (Rival Inc)');
    expect(text).toContain('Company size 50 to 200 (+10)');
    expect(text).toContain('Visited pricing 40 days ago (half-life 30 days: 10 -> 4) (+4)');
    expect(text).toContain('Nurture → Disqualified');
    expect(buttons(r)).toEqual(['Re-evaluate now']);
  });

  it('a contact missing data names each missing property and what would move it up', async () => {
    const r = await renderCard(() => ok(VIEWS.needs_data));
    const text = texts(r);
    expect(text).toContain('Missing dataJob title is emptyCompany industry is empty');
    expect(text).toContain('To reach Nurture:a value for jobtitlea value for company.industry');
    expect(r.findByTestId(StatusTag, 'status').props.variant).toBe('warning');
  });

  it('a hand-off shows its owner and SLA clock; a breached one says so', async () => {
    const r = await renderCard(() => ok(VIEWS.sales_ready));
    expect(item(r, 'Owner')).toBe('Owner 7001');
    expect(r.findByTestId(Text, 'sla').text).toBe('27 hours left of a 48 h SLA');
    expect(item(r, 'In HubSpot')).toBe('a task for the owner');
    expect(item(r, 'Due')).toBe('Dec 6, 2026, 4:00 AM');
    expect(item(r, 'Handed off')).toBe('Dec 4, 2026, 4:00 AM');
    expect(r.maybeFindByTestId(StatusTag, 'breached')).toBeNull();

    const late = await renderCard(() => ok({ ...VIEWS.sales_ready, handOff: { ...HAND_OFF, hoursLeft: -3, breached: true } }));
    expect(late.findByTestId(Text, 'sla').text).toBe('SLA breached 3.0 hours ago (48 h SLA)');
    expect(late.findByTestId(StatusTag, 'breached').text).toBe('SLA breached');
  });

  it('the history lists each change, newest first, with the definition version', async () => {
    const r = await renderCard(() => ok(VIEWS.marketing_qualified));
    expect(texts(r)).toContain('Dec 5, 2026, 3:30 AMNurture → Marketing qualified (MQL)427Dec 1, 2026, 5:00 AMFirst evaluated: Nurture256');
  });

  it('history replayed from HubSpot says so, and a status held before the kept history has no date of entry', async () => {
    const r = await renderCard(() => ok(VIEWS.sales_ready));
    const text = texts(r);
    expect(text).toContain('Marketing qualified (MQL) → Sales ready (SQL)75');
    expect(text).toMatch(/Sep 14, 2026, [0-9:]+ [AP]MNurture → Marketing qualified \(MQL\) \(from HubSpot history\)48/);
    expect(text).toMatch(/by Jun 2, 2026, [0-9:]+ [AP]MFirst evaluated: Nurture \(from HubSpot history; reached earlier, date unknown\)20/);
  });

  it('while the backend has not answered, a spinner', async () => {
    hsFetch.mockReturnValueOnce(new Promise(() => {}));
    const r = createRenderer('crm.record.tab');
    r.render(<Card context={r.mocks.context} actions={r.mocks.actions} />);
    // The load starts in an effect: wait for it, so that it takes this test's answer and no other's.
    await new Promise((resolve) => setImmediate(resolve));
    expect(hsFetch).toHaveBeenCalledTimes(1);
    expect(r.find(LoadingSpinner).props.label).toBe('Loading the qualification');
    expect(r.maybeFind(StatusTag)).toBeNull();
  });
});

describe('the actions', () => {
  it('Accept posts the verdict, re-renders from the answer and refreshes the record', async () => {
    const r = await renderCard(() => ok(VIEWS.sales_ready));
    const accepted: CardView = { ...VIEWS.sales_ready, handOff: { ...HAND_OFF, hoursLeft: null, verdict: 'accepted', verdictAt: '2026-12-05T09:00:00.000Z', verdictBy: 'user:1' }, actions: { accept: false, reject: false, reEvaluate: true } };
    hsFetch.mockReturnValueOnce(ok(accepted, { changed: true }));
    r.findByTestId(LoadingButton, 'accept').trigger('onClick');
    await r.waitFor(() => expect(r.maybeFindByTestId(Text, 'verdict')).not.toBeNull());

    expect(hsFetch).toHaveBeenCalledTimes(2);
    expect(hsFetch).toHaveBeenLastCalledWith(`${ORIGIN}/card/contacts/123/verdict?${QUERY}`, { method: 'POST', body: { verdict: 'accepted' } });
    expect(r.findByTestId(Text, 'verdict').text).toBe('Accepted by HubSpot user 1, Dec 5, 2026, 4:00 AM');
    expect(r.findByTestId(Text, 'sla').text).toBe('Clock stopped by the verdict');
    expect(buttons(r)).toEqual(['Re-evaluate now']);
    expect(r.findByTestId(Text, 'note').text).toBe('Verdict recorded.');
    expect(r.mocks.actions.refreshObjectProperties.callCount).toBe(1);
  });

  it.each([
    ['rejected_misrouted', 'Rejected: misrouted'],
    ['rejected_bad_data', 'Rejected: bad data'],
    ['rejected_below_definition', 'Rejected: below definition'],
  ] as const)('Reject with a reason posts %s', async (verdict, label) => {
    const r = await renderCard(() => ok(VIEWS.sales_ready));
    expect(r.find(Select).props.options.map((o) => o.value)).toEqual(['rejected_misrouted', 'rejected_bad_data', 'rejected_below_definition']);
    // No reason, no rejection.
    expect(r.findByTestId(LoadingButton, 'reject').props.disabled).toBe(true);
    r.find(Select).trigger('onChange', verdict as never);
    await r.waitFor(() => expect(r.findByTestId(LoadingButton, 'reject').props.disabled).toBe(false));

    hsFetch.mockReturnValueOnce(ok({ ...VIEWS.sales_ready, handOff: { ...HAND_OFF, hoursLeft: null, verdict, verdictAt: '2026-12-05T09:00:00.000Z', verdictBy: 'user:1' }, actions: { accept: false, reject: false, reEvaluate: true } }, { changed: true }));
    r.findByTestId(LoadingButton, 'reject').trigger('onClick');
    await r.waitFor(() => expect(r.maybeFindByTestId(Text, 'verdict')).not.toBeNull());
    expect(hsFetch).toHaveBeenLastCalledWith(`${ORIGIN}/card/contacts/123/verdict?${QUERY}`, { method: 'POST', body: { verdict } });
    expect(r.findByTestId(Text, 'verdict').text).toContain(label);
    expect(r.mocks.actions.refreshObjectProperties.callCount).toBe(1);
  });

  it('Re-evaluate now posts an empty body and says it is queued', async () => {
    const r = await renderCard(() => ok(VIEWS.nurture));
    hsFetch.mockReturnValueOnce(ok({ ...VIEWS.nurture, reEvaluationPending: true }, { queued: true }));
    r.findByTestId(LoadingButton, 're-evaluate').trigger('onClick');
    await r.waitFor(() => expect(r.maybeFindByTestId(Text, 'pending')).not.toBeNull());
    expect(hsFetch).toHaveBeenLastCalledWith(`${ORIGIN}/card/contacts/123/re-evaluate?${QUERY}`, { method: 'POST', body: {} });
    expect(r.findByTestId(Text, 'note').text).toBe('Re-evaluation queued.');
  });

  it('the same verdict again (HubSpot retried, or a second click elsewhere) says nothing changed', async () => {
    const r = await renderCard(() => ok(VIEWS.sales_ready));
    hsFetch.mockReturnValueOnce(ok(VIEWS.sales_ready, { changed: false }));
    r.findByTestId(LoadingButton, 'accept').trigger('onClick');
    await r.waitFor(() => expect(r.maybeFindByTestId(Text, 'note')).not.toBeNull());
    expect(r.findByTestId(Text, 'note').text).toBe('Already recorded: nothing changed.');
  });

  it("an error answer is shown with the backend's message, the card stays and nothing is refreshed", async () => {
    const r = await renderCard(() => ok(VIEWS.sales_ready));
    hsFetch.mockReturnValueOnce(json({ ok: false, error: { code: 'conflict', message: 'This contact was never handed off: there is nothing to accept.' } }, 409));
    r.findByTestId(LoadingButton, 'accept').trigger('onClick');
    await r.waitFor(() => expect(r.maybeFind(Alert)).not.toBeNull());
    const alert = r.find(Alert);
    expect(alert.props.title).toBe('The action did not go through');
    expect(alert.props.variant).toBe('error');
    expect(alert.text).toBe('This contact was never handed off: there is nothing to accept.');
    expect(r.findByTestId(StatusTag, 'status').text).toBe('Sales ready (SQL)');
    expect(buttons(r)).toEqual(['Accept', 'Reject', 'Re-evaluate now']);
    expect(r.mocks.actions.refreshObjectProperties.callCount).toBe(0);
  });
});

describe('when loading fails', () => {
  it.each<[string, () => Promise<Response>, string, string]>([
    ["the backend's own error", () => json({ ok: false, error: { code: 'unavailable', message: 'The store could not be reached; try again in a minute.' } }, 503), 'error', 'The store could not be reached; try again in a minute.'],
    // HubSpot's proxy wraps a backend 4xx/5xx in its own error, the backend's body as text (platform doc §5.4).
    ["the backend's error wrapped by HubSpot's proxy", () => json({ status: 'error', category: 'BAD_GATEWAY', message: 'Error returned from Request Uri', appServerStatusCode: 404, responseBody: JSON.stringify({ ok: false, error: { code: 'not_found', message: 'No decision recorded for contact 123 yet.' } }) }, 502), 'info', 'No decision recorded for contact 123 yet.'],
    ['a proxy error without our body', () => json({ status: 'error', category: 'GATEWAY_TIMEOUT', message: 'Request timed out' }, 504), 'error', 'HubSpot could not reach the backend: Request timed out'],
    ['no JSON at all', () => Promise.resolve(new Response('<html>bad gateway</html>', { status: 502 })), 'error', 'the backend answered 502 without JSON'],
    ['the network', () => Promise.reject(new Error('Failed to fetch')), 'error', 'could not reach the backend (Failed to fetch)'],
  ])('%s: an alert with the message and a way to try again', async (_case, answer, variant, message) => {
    const r = await renderCard(answer);
    const alert = r.find(Alert);
    expect(alert.props.title).toBe('The qualification could not be loaded');
    expect(alert.props.variant).toBe(variant);
    expect(alert.text).toBe(message);
    expect(r.maybeFind(StatusTag)).toBeNull();
    expect(buttons(r)).toEqual(variant === 'info' ? ['Re-evaluate now'] : []);

    hsFetch.mockReturnValueOnce(ok(VIEWS.nurture));
    r.findByTestId(Button, 'retry').trigger('onClick');
    await r.waitFor(() => expect(r.maybeFind(StatusTag)).not.toBeNull());
    expect(r.maybeFind(Alert)).toBeNull();
    expect(hsFetch).toHaveBeenLastCalledWith(`${ORIGIN}/card/contacts/123?${QUERY}`, { method: 'GET' });
  });
});

describe('the entry file', () => {
  it('registers the card for crm.record.tab with hubspot.extend, rendering from the context and actions HubSpot passes', async () => {
    // The SDK picks HubSpot's worker globals when its module loads, so the entry is loaded afresh inside a
    // worker-like global, together with the renderer and React it must share.
    let registered: ((api: { context: unknown; actions: unknown }) => ReactElement) | undefined;
    const worker = globalThis as unknown as Record<string, unknown>;
    Object.assign(worker, { __HUBSPOT_EXTENSION_WORKER__: true, extend_V2: (cb: typeof registered) => (registered = cb) });
    let sdk: typeof import('@hubspot/ui-extensions') | undefined;
    let testing: typeof import('@hubspot/ui-extensions/testing') | undefined;
    try {
      jest.isolateModules(() => {
        require('../src/QualificationCard');
        sdk = require('@hubspot/ui-extensions');
        testing = require('@hubspot/ui-extensions/testing');
      });
    } finally {
      delete worker.__HUBSPOT_EXTENSION_WORKER__;
      delete worker.extend_V2;
    }
    expect(registered).toBeDefined();
    hsFetch.mockImplementationOnce(() => ok(VIEWS.sales_ready));
    const r = testing!.createRenderer('crm.record.tab');
    r.render(registered!({ context: r.mocks.context, actions: r.mocks.actions }));
    await r.waitFor(() => expect(r.maybeFind(sdk!.StatusTag)).not.toBeNull());
    expect(r.findByTestId(sdk!.StatusTag, 'status').text).toBe('Sales ready (SQL)');
    expect(hsFetch).toHaveBeenCalledWith(`${ORIGIN}/card/contacts/123?${QUERY}`, { method: 'GET' });
  });
});
