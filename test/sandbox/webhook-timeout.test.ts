import { DEFAULT_WEBHOOK_SETTINGS, startSandbox } from '../../src/sandbox';
import { Receiver, sdk, type ReceivedRequest } from './helpers';

/**
 * HubSpot counts a webhook answer slower than 5 seconds as a failure and retries it. This runs with the
 * real default timeout (no scaling), so it takes a little over 5 s; it sits in its own file so jest runs
 * it alongside the rest.
 */
it('when the target takes 6 seconds to answer, then the default 5,000 ms timeout fails the attempt and the events are retried', async () => {
  const receiver = await new Receiver((_, index) => ({ delayMs: index === 0 ? 6_000 : 0 })).start();
  const sandbox = await startSandbox({
    webhooks: { targetUrl: receiver.url, batchWindowMs: 10, timeScale: 0.00001, subscriptions: [{ subscriptionType: 'contact.creation' }] },
  });
  try {
    expect(DEFAULT_WEBHOOK_SETTINGS.timeoutMs).toBe(5_000);
    expect(sandbox.webhooks.settings.timeoutMs).toBe(5_000);
    await sdk(sandbox).crm.contacts.basicApi.create({ properties: { email: 'six-seconds@example.com' } });
    await receiver.waitFor(() => receiver.requests.length >= 2, 10_000);
    await sandbox.webhooks.idle();
    const [first, retry] = receiver.requests as [ReceivedRequest, ReceivedRequest];
    expect(retry.events.map((e) => [e.eventId, e.attemptNumber])).toEqual(first.events.map((e) => [e.eventId, 1]));
    expect(sandbox.webhooks.deliveries.map((d) => [d.attemptNumber, d.result])).toEqual([
      [0, 'timeout'],
      [1, '200'],
    ]);
    // The sender's own clock: the attempt was given up at 5 s (a little slack for the event loop's cached
    // time), before the answer that came at 6 s. The receiver's clock cannot say this precisely: it sees the
    // request some milliseconds after the sender started it, more on a loaded machine.
    const abandoned = sandbox.webhooks.deliveries[0]?.durationMs as number;
    expect(abandoned).toBeGreaterThanOrEqual(4_950);
    expect(abandoned).toBeLessThan(5_500);
    expect(retry.receivedAt).toBeLessThan(first.receivedAt + 6_000);
  } finally {
    await sandbox.stop();
    await receiver.stop();
  }
}, 15_000);
