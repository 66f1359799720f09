import { ConfigurationError, MissingScopesError, errorFromResponse } from '../../src/hubspot';
import { classifyFailure } from '../../src/sync/failures';

/**
 * A 403 MISSING_SCOPES becomes a MissingScopesError carrying the scope names, whichever of HubSpot's shapes
 * it comes in, and the worker gives up on the units at once instead of spending attempts on it.
 */

const MESSAGE = "This app hasn't been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.";
const body = (errors: unknown[], extra: Record<string, unknown> = {}) => ({ status: 'error', message: MESSAGE, correlationId: 'c-9', category: 'MISSING_SCOPES', errors, links: { scopes: 'https://developers.hubspot.com/scopes' }, ...extra });

describe('a 403 naming scopes', () => {
  it.each([
    ['one granular scope', body([{ message: 'All of the following scopes are required.', context: { requiredGranularScopes: ['crm.objects.deals.write'] } }]), ['crm.objects.deals.write'], false, 'the app lacks scope crm.objects.deals.write; add it to requiredScopes'],
    [
      'alternatives',
      body([{ message: 'One or more of the following scopes are required.', context: { requiredGranularScopes: ['crm.schemas.contacts.read', 'crm.objects.contacts.read'] } }]),
      ['crm.schemas.contacts.read', 'crm.objects.contacts.read'],
      true,
      'the app lacks one of the scopes crm.schemas.contacts.read, crm.objects.contacts.read; add them',
    ],
    ['the older requiredScopes key', body([{ message: 'One or more of the following scopes are required.', context: { requiredScopes: ['crm.objects.owners.read'] } }]), ['crm.objects.owners.read'], false, 'lacks scope crm.objects.owners.read'],
    ['scopes at the top level', body([], { context: { requiredGranularScopes: ['oauth'] } }), ['oauth'], false, 'lacks scope oauth'],
  ])('when the body has %s, then MissingScopesError names them', (_shape, raw, scopes, anyOf, words) => {
    const err = errorFromResponse({ status: 403, body: raw, kind: 'deals.batch.update' }) as MissingScopesError;
    expect(err).toBeInstanceOf(MissingScopesError);
    expect(err).toBeInstanceOf(ConfigurationError);
    expect(err.scopes).toEqual(scopes);
    expect(err.anyOf).toBe(anyOf);
    expect(err.correlationId).toBe('c-9');
    expect(err.message).toContain('HubSpot refused (deals.batch.update)');
    expect(err.message).toContain(words);
    expect(err.message).toContain('src/app/app-hsmeta.json');
    expect(err.message).not.toContain('\n');
  });

  it('when a 403 names no scope, then it stays a plain ConfigurationError with a guess from the call', () => {
    const err = errorFromResponse({ status: 403, body: { status: 'error', message: 'Forbidden', category: 'FORBIDDEN', correlationId: 'c' }, kind: 'deals.batch.update' });
    expect(err).not.toBeInstanceOf(MissingScopesError);
    expect(err).toBeInstanceOf(ConfigurationError);
    expect(err.message).toContain('crm.objects.deals.write');
  });
});

describe('the worker facing a missing scope', () => {
  it('gives the units up at once, naming the scope, while other configuration errors are retried', () => {
    const missing = errorFromResponse({ status: 403, body: body([{ message: 'All of the following scopes are required.', context: { requiredGranularScopes: ['crm.objects.deals.write'] } }]), kind: 'deals.batch.update' });
    const plan = classifyFailure(missing, 0);
    expect(plan.kind).toBe('permanent');
    expect(plan.message).toMatch(/^MissingScopesError: HubSpot refused \(deals\.batch\.update\): the app lacks scope crm\.objects\.deals\.write/);
    const badToken = errorFromResponse({ status: 401, body: { status: 'error', message: 'no', category: 'INVALID_AUTHENTICATION', correlationId: 'c' } });
    expect(classifyFailure(badToken, 0).kind).toBe('retry');
  });
});
