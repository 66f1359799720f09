import nock from 'nock';
import { ConfigurationError, RecordError, TransientError, createGateway } from '../../src/hubspot';
import { startSandbox } from '../../src/sandbox';

/**
 * Answers that are no verdict on the records must never cost them: a 2xx whose body is not JSON or a batch
 * answer without its results is retried like a 5xx (not given up on, not read as "no records"), and a 404 for
 * an endpoint that does not exist is the admin's to fix (a wrong base URL or version), not a dead letter for
 * every record. A 404 that can name a missing thing (a property to update) stays a record error.
 */
const BASE = 'http://hubspot.test';
const READ = '/crm/objects/2026-09/contacts/batch/read';
const gateway = () => createGateway({ accessToken: 'pat-na1-test', baseUrl: BASE, retry: { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 1 }, timeoutMs: 1_000 });

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
// nock patches Node's http module for the whole worker process on import: undo it, or the next test file in
// this worker sends its real requests through this file's (by then deleted) interceptor.
afterAll(() => {
  nock.enableNetConnect();
  nock.restore();
});

describe('unclear 2xx answers', () => {
  it.each<[string, string, Record<string, string>]>([
    ['an HTML page', '<html><body>Service temporarily unavailable</body></html>', { 'Content-Type': 'text/html' }],
    ['an empty body', '', {}],
    ['JSON without results', '{"status":"COMPLETE"}', { 'Content-Type': 'application/json' }],
  ])('when a batch read answers 200 with %s, then it is retried and ends as a TransientError, no id marked missing', async (_what, body, headers) => {
    const scope = nock(BASE).post(READ).query(true).times(3).reply(200, body, headers);
    const g = gateway();
    try {
      await expect(g.read('contacts', ['101', '102'], ['email'])).rejects.toBeInstanceOf(TransientError);
      expect(scope.isDone()).toBe(true);
      expect(g.calls()['contacts.batch.read']).toBe(3);
    } finally {
      g.close();
    }
  });

  it('when a batch create answers 200 without results, then it is not sent again (it may have created the records)', async () => {
    const scope = nock(BASE).post('/crm/objects/2026-09/tasks/batch/create').reply(200, '<html></html>', { 'Content-Type': 'text/html' });
    const g = gateway();
    try {
      await expect(g.create('tasks', [{ properties: { hs_task_subject: 'Call' } }])).rejects.toBeInstanceOf(TransientError);
      expect(scope.isDone()).toBe(true);
      expect(g.calls()['tasks.batch.create']).toBe(1);
    } finally {
      g.close();
    }
  });
});

describe('404s', () => {
  it("when a batch read answers 404 in HubSpot's body with X-HubSpot-NotFound, then it is a ConfigurationError naming the base URL and version", async () => {
    nock(BASE).post(READ).query(true).reply(404, { status: 'error', category: 'OBJECT_NOT_FOUND', message: 'resource not found', correlationId: 'c' }, { 'X-HubSpot-NotFound': 'true' });
    const g = gateway();
    try {
      const err = await g.read('contacts', ['101'], ['email']).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConfigurationError);
      expect((err as Error).message).toMatch(/check HUBSPOT_API_BASE_URL and HUBSPOT_API_VERSION/);
    } finally {
      g.close();
    }
  });

  it('when a property to update does not exist (404), then it stays a RecordError', async () => {
    nock(BASE).patch('/crm/properties/2026-09/contacts/uld_missing').reply(404, { status: 'error', category: 'OBJECT_NOT_FOUND', message: 'Property uld_missing does not exist', correlationId: 'c' });
    const g = gateway();
    try {
      const err = await g.updateProperty('contacts', 'uld_missing', { label: 'x' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RecordError);
      expect(err).not.toBeInstanceOf(ConfigurationError);
    } finally {
      g.close();
    }
  });

  it('when the base URL points below the sandbox, then a read is a ConfigurationError (the sandbox answers 404 as HubSpot does)', async () => {
    nock.enableNetConnect('127.0.0.1');
    const sandbox = await startSandbox({ contacts: 3, seed: 4 });
    const g = createGateway({ accessToken: sandbox.accessToken, baseUrl: `${sandbox.url}/nope`, retry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1 } });
    try {
      await expect(g.read('contacts', ['101'], ['email'])).rejects.toBeInstanceOf(ConfigurationError);
    } finally {
      g.close();
      await sandbox.stop();
      nock.disableNetConnect();
    }
  });
});
