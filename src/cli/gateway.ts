import type { Config } from '../config';
import { requireSettings } from '../config/settings';
import { createGateway, gatewayOptionsFromConfig, type GatewayOptions, type HubSpotGateway } from '../hubspot';

/**
 * The gateway a command calls HubSpot through. Without HUBSPOT_ACCESS_TOKEN it throws MissingSettingError,
 * which `main` prints as one line (the variable, what it is for, where to get it) with exit status 2; call it
 * before opening the store, so a missing token changes nothing on disk either.
 */
export function gatewayForCommand(config: Config, command: string, extra: Partial<GatewayOptions> = {}): HubSpotGateway {
  requireSettings(config, ['HUBSPOT_ACCESS_TOKEN'], `\`uld ${command}\``);
  return createGateway(gatewayOptionsFromConfig(config, extra));
}
