import type { Config } from './types';

/**
 * A setting a command cannot run without, said in one line: the variable, what it is for and where an admin
 * gets it. The CLI prints the message as it is and exits 2, like an invalid environment; never a stack trace.
 */
export class MissingSettingError extends Error {
  override name = 'MissingSettingError';
  constructor(readonly settings: readonly string[], message: string) {
    super(message);
  }
}

/** The settings commands require, each with its purpose and where to find its value. */
export const REQUIRED_SETTING_HELP = {
  HUBSPOT_ACCESS_TOKEN: {
    purpose: 'authenticates every call to HubSpot',
    where: "the static access token from your project app's Auth tab (Development → Projects → <project> → <app> → Auth; a legacy private app: Settings → Integrations → Private Apps → <app> → Auth)",
  },
  HUBSPOT_CLIENT_SECRET: {
    purpose: 'verifies the signature of every webhook HubSpot sends',
    where: "the client secret from the same Auth tab as the access token (Development → Projects → <project> → <app> → Auth)",
  },
  WEBHOOK_PUBLIC_URL: {
    purpose: 'the https URL HubSpot posts webhooks to (the target URL of the webhooks component, and the URL v3 signatures cover)',
    where: 'the public address of `uld serve` followed by /webhooks/hubspot, e.g. https://uld.example.com/webhooks/hubspot',
  },
} as const;

export type RequiredSetting = keyof typeof REQUIRED_SETTING_HELP;

const VALUE_OF: Record<RequiredSetting, (c: Config) => unknown> = {
  HUBSPOT_ACCESS_TOKEN: (c) => c.hubspot.accessToken,
  HUBSPOT_CLIENT_SECRET: (c) => c.hubspot.clientSecret,
  WEBHOOK_PUBLIC_URL: (c) => c.webhookPublicUrl,
};

/** The one-line message for one unset variable; `neededBy` names what cannot run without it. */
export function missingSettingMessage(name: RequiredSetting, neededBy: string): string {
  const help = REQUIRED_SETTING_HELP[name];
  return `${name} is not set: ${neededBy} needs it (${help.purpose}). Set it in .env or the environment to ${help.where}.`;
}

/**
 * Throws MissingSettingError naming every unset variable of `names`, one line each, so an admin fixes them in
 * one pass. `neededBy` is what asks, e.g. "`uld install`".
 */
export function requireSettings(config: Config, names: readonly RequiredSetting[], neededBy: string): void {
  const missing = names.filter((n) => {
    const v = VALUE_OF[n](config);
    return v === undefined || v === '';
  });
  if (missing.length > 0) throw new MissingSettingError(missing, missing.map((n) => missingSettingMessage(n, neededBy)).join('\n'));
}
