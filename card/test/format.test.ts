import { cardRequest, cardUrl, readAnswer, type CardCall } from '../src/api';
import type { CardHandOff, CardThreshold } from '../src/contract';
import { actorLabel, formatPoints, formatTime, reasonGroups, reasonLine, slaLine, thresholdBar } from '../src/format';
import { HAND_OFF, VIEWS } from './views';

/** The card's wording and its requests, as plain functions of their inputs. */

const CALLER = { portalId: 42, userId: 7, userEmail: 'ana+sales@example.com' };

describe('the request for each call', () => {
  it.each<[string, CardCall, string, ReturnType<typeof cardRequest>]>([
    ['the view', { kind: 'view', contactId: '501' }, 'https://uld.example.com/card/contacts/501?portalId=42&userId=7&userEmail=ana%2Bsales%40example.com', { method: 'GET' }],
    ['a verdict', { kind: 'verdict', contactId: '501', verdict: 'rejected_misrouted' }, 'https://uld.example.com/card/contacts/501/verdict?portalId=42&userId=7&userEmail=ana%2Bsales%40example.com', { method: 'POST', body: { verdict: 'rejected_misrouted' } }],
    ['a re-evaluation', { kind: 're-evaluate', contactId: '501' }, 'https://uld.example.com/card/contacts/501/re-evaluate?portalId=42&userId=7&userEmail=ana%2Bsales%40example.com', { method: 'POST', body: {} }],
    // An id is a path segment: nothing in it can reach another route.
    ['an odd id', { kind: 'view', contactId: '1/../2?x' }, 'https://uld.example.com/card/contacts/1%2F..%2F2%3Fx?portalId=42&userId=7&userEmail=ana%2Bsales%40example.com', { method: 'GET' }],
  ])('%s', (_case, call, url, request) => {
    expect(cardUrl('https://uld.example.com', call, CALLER)).toBe(url);
    expect(cardRequest(call)).toEqual(request);
  });
});

describe("reading the backend's answer", () => {
  const card = VIEWS.nurture;
  it.each<[string, number, string, unknown]>([
    ['a card', 200, JSON.stringify({ ok: true, card }), { ok: true, card }],
    ['an error of ours', 409, JSON.stringify({ ok: false, error: { code: 'conflict', message: 'not handed off' } }), { ok: false, error: { code: 'conflict', message: 'not handed off' } }],
    ["ours inside HubSpot's proxy error, as text", 502, JSON.stringify({ category: 'BAD_GATEWAY', message: 'Error returned from Request Uri', responseBody: JSON.stringify({ ok: false, error: { code: 'forbidden', message: 'another portal' } }) }), { ok: false, error: { code: 'forbidden', message: 'another portal' } }],
    ["ours inside HubSpot's proxy error, as JSON", 502, JSON.stringify({ category: 'BAD_GATEWAY', message: 'x', responseBody: { ok: false, error: { code: 'unauthorized', message: 'stale timestamp' } } }), { ok: false, error: { code: 'unauthorized', message: 'stale timestamp' } }],
    ['a proxy error with text inside', 502, JSON.stringify({ category: 'BAD_GATEWAY', message: 'Error returned from Request Uri', responseBody: 'Bad Gateway' }), { ok: false, error: { code: 'unavailable', message: 'HubSpot could not reach the backend: Error returned from Request Uri' } }],
    ['JSON of another shape', 200, JSON.stringify({ ok: true }), { ok: false, error: { code: 'unavailable', message: 'the backend answered 200 with an unexpected body' } }],
    ['no JSON', 500, 'Internal Server Error', { ok: false, error: { code: 'unavailable', message: 'the backend answered 500 without JSON' } }],
  ])('%s', (_case, status, text, expected) => {
    expect(readAnswer(status, text)).toEqual(expected);
  });
});

describe('wording', () => {
  const t = (dimension: CardThreshold['dimension'], required: number, actual: number): CardThreshold => ({ dimension, required, actual, shortBy: Math.max(0, required - actual) });
  it.each<[CardThreshold, ReturnType<typeof thresholdBar>]>([
    [t('total', 70, 42), { title: 'Total 42 of 70', value: 42, maxValue: 70, valueDescription: '28 short', variant: 'danger' }],
    [t('fit', 30, 45), { title: 'Fit 45 of 30', value: 30, maxValue: 30, valueDescription: 'met', variant: 'success' }],
    [t('engagement', 20, 12.35), { title: 'Engagement 12.3 of 20', value: 12.35, maxValue: 20, valueDescription: '7.7 short', variant: 'danger' }],
    [t('total', 10, -5), { title: 'Total -5 of 10', value: 0, maxValue: 10, valueDescription: '15 short', variant: 'danger' }],
  ])('a threshold as a bar: %j', (threshold, bar) => {
    expect(thresholdBar(threshold)).toEqual(bar);
  });

  it.each<[Partial<CardHandOff>, string]>([
    [{}, '27 hours left of a 48 h SLA'],
    [{ hoursLeft: 1 }, '1.0 hour left of a 48 h SLA'],
    [{ hoursLeft: 0.25 }, '0.3 hours left of a 48 h SLA'],
    [{ hoursLeft: -30, breached: true }, 'SLA breached 30 hours ago (48 h SLA)'],
    [{ hoursLeft: null, verdict: 'accepted' }, 'Clock stopped by the verdict'],
    [{ hoursLeft: null, verdict: 'rejected_bad_data', breached: true }, 'SLA breached; clock stopped by the verdict'],
  ])('the SLA clock %j', (change, line) => {
    expect(slaLine({ ...HAND_OFF, ...change })).toBe(line);
  });

  it.each<[Parameters<typeof reasonLine>[0], string]>([
    [{ text: 'Company size 200+', ref: 'size', points: 30 }, 'Company size 200+ (+30)'],
    [{ text: 'Unsubscribed', ref: 'unsub', points: -10 }, 'Unsubscribed (−10)'],
    [{ text: 'Visited pricing 40 days ago', ref: 'v', points: 3.96 }, 'Visited pricing 40 days ago (+4.0)'],
    [{ text: 'Job title is empty', ref: 'jobtitle' }, 'Job title is empty'],
  ])('a reason %j', (reason, line) => {
    expect(reasonLine(reason)).toBe(line);
  });

  it('groups every reason in reading order and leaves out empty groups', () => {
    expect(reasonGroups(VIEWS.disqualified.reasons).map((g) => [g.title, g.lines.length])).toEqual([
      ['Why this status', 1],
      ['Disqualifiers', 2],
      ['Fit', 1],
      ['Engagement (after decay)', 1],
    ]);
    expect(reasonGroups({ status: [], disqualifiers: [], missing: [], fit: [], engagement: [], other: [] })).toEqual([]);
  });

  it.each([
    ['user:77', 'HubSpot user 77'],
    ['lead:9001', 'Lead 9001'],
    ['admin', 'admin'],
    [null, 'unknown'],
  ])('who gave a verdict: %s', (by, label) => {
    expect(actorLabel(by)).toBe(label);
  });

  it('times in the portal time zone, and the raw text when it cannot be read', () => {
    expect(formatTime('2026-12-05T08:30:00.000Z', 'en-US', 'Europe/Berlin')).toBe('Dec 5, 2026, 9:30 AM');
    expect(formatTime('2026-12-05T08:30:00.000Z', 'en-GB', 'UTC')).toBe('5 Dec 2026, 08:30');
    expect(formatTime('not a time', 'en-US', 'UTC')).toBe('not a time');
    expect(formatTime('2026-12-05T08:30:00.000Z', 'en-US', 'Mars/Olympus')).toBe('2026-12-05T08:30:00.000Z');
    expect(formatPoints(3)).toBe('3');
  });
});
