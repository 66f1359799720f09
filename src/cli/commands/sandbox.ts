import { InvalidArgumentError, type Command } from 'commander';
import { startSandbox, type SandboxOptions, type Tier } from '../../sandbox';
import type { WebhookSubscriptionInput } from '../../sandbox/webhooks/subscriptions';

const TIERS: readonly Tier[] = ['free', 'starter', 'professional', 'enterprise', 'api-add-on'];

function integer(min: number, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`expected an integer from ${min} to ${max}`);
    return n;
  };
}

function positiveNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expected a number of 0 or more');
  return n;
}

/**
 * `contact.propertyChange:jobtitle`, `deal.creation`, `object.propertyChange:contact:jobtitle`,
 * `object.creation:deal`: the subscription forms an app's webhook settings hold.
 */
export function parseSubscriptionArgument(value: string, previous: WebhookSubscriptionInput[] = []): WebhookSubscriptionInput[] {
  const [subscriptionType, ...rest] = value.split(':');
  if (!subscriptionType || !subscriptionType.includes('.')) throw new InvalidArgumentError(`expected type[:property], e.g. contact.propertyChange:jobtitle, got ${value}`);
  const subscription: WebhookSubscriptionInput = { subscriptionType };
  if (subscriptionType.startsWith('object.')) {
    const [objectType, propertyName] = rest;
    if (!objectType) throw new InvalidArgumentError(`${subscriptionType} needs an object type, e.g. ${subscriptionType}:contact`);
    subscription.objectType = objectType;
    if (propertyName) subscription.propertyName = propertyName;
  } else if (rest[0]) {
    subscription.propertyName = rest[0];
  }
  return [...previous, subscription];
}

interface SandboxCommandOptions {
  contacts: number;
  companies?: number;
  deals?: number;
  port: number;
  host: string;
  seed: number;
  token?: string;
  clientSecret?: string;
  appId?: number;
  portalId?: number;
  tier: Tier;
  webhookUrl?: string;
  subscribe: WebhookSubscriptionInput[];
  activity: number;
}

export function registerSandboxCommand(program: Command): void {
  program
    .command('sandbox')
    .description('Run a sandbox HubSpot portal (a fake HubSpot the SDK and the product can talk to), filled with synthetic data')
    .option('--contacts <n>', 'synthetic contacts to generate', integer(0, 1_000_000), 5000)
    .option('--companies <n>', 'companies (default: one per six contacts)', integer(0, 1_000_000))
    .option('--deals <n>', 'approximate number of deals (default: from the funnel)', integer(0, 1_000_000))
    .option('--port <n>', 'port to listen on (0 picks a free one)', integer(0, 65_535), 4010)
    .option('--host <address>', 'interface to listen on', '127.0.0.1')
    .option('--seed <n>', 'seed of the data, faults and webhook ids', integer(0), 1)
    .option('--token <token>', 'the private app access token to accept (made up when absent)')
    .option('--client-secret <secret>', 'the app client secret webhooks are signed with (made up when absent)')
    .option('--app-id <n>', 'the app id', integer(1))
    .option('--portal-id <n>', 'the portal (hub) id', integer(1))
    .option('--tier <tier>', `rate-limit tier: ${TIERS.join(', ')}`, (value: string): Tier => {
      if (!TIERS.includes(value as Tier)) throw new InvalidArgumentError(`expected one of ${TIERS.join(', ')}`);
      return value as Tier;
    }, 'free')
    .option('--webhook-url <url>', 'where webhook batches are POSTed')
    .option('--subscribe <type[:property]>', 'a webhook subscription (repeatable), e.g. contact.propertyChange:jobtitle', parseSubscriptionArgument, [])
    .option('--activity <per-second>', 'run the activity simulator at this rate (0: off)', positiveNumber, 0)
    .action(async (opts: SandboxCommandOptions) => {
      const options: SandboxOptions = {
        host: opts.host,
        port: opts.port,
        seed: opts.seed,
        contacts: opts.contacts,
        tier: opts.tier,
        webhooks: { subscriptions: opts.subscribe, ...(opts.webhookUrl ? { targetUrl: opts.webhookUrl } : {}) },
        ...(opts.companies !== undefined ? { companies: opts.companies } : {}),
        ...(opts.deals !== undefined ? { deals: opts.deals } : {}),
        ...(opts.token ? { accessToken: opts.token } : {}),
        ...(opts.clientSecret ? { clientSecret: opts.clientSecret } : {}),
        ...(opts.appId ? { appId: opts.appId } : {}),
        ...(opts.portalId ? { portalId: opts.portalId } : {}),
      };
      let sandbox: Awaited<ReturnType<typeof startSandbox>>;
      try {
        sandbox = await startSandbox(options);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
        process.stderr.write(`uld sandbox: port ${opts.port} on ${opts.host} is in use; choose another with --port (0 picks a free one)\n`);
        process.exitCode = 2;
        return;
      }
      if (opts.activity > 0) sandbox.simulator.start(opts.activity);
      const counts = sandbox.generated?.counts;
      process.stdout.write(
        [
          `Sandbox HubSpot portal running at ${sandbox.url}`,
          `  ${counts?.contacts ?? 0} contacts, ${counts?.companies ?? 0} companies, ${counts?.deals ?? 0} deals (seed ${opts.seed}); tier ${opts.tier}` +
            (opts.activity > 0 ? `; ${opts.activity} activities/s` : '') +
            (opts.webhookUrl ? `; webhooks to ${opts.webhookUrl} (${opts.subscribe.length} subscriptions)` : ''),
          'Point the product (or the SDK) at it with:',
          ...Object.entries(sandbox.environment()).map(([name, value]) => `${name}=${value}`),
          'Press Ctrl+C to stop.',
          '',
        ].join('\n'),
      );
      // Runs until a signal; then closes the server so the process can exit on its own.
      await new Promise<void>((resolve) => {
        const stop = (): void => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          void sandbox.stop().then(resolve);
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      process.stdout.write('Sandbox stopped.\n');
    });
}
