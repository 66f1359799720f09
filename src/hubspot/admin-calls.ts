import { optionInputs, type ApiPaths } from './api-version';
import { HubSpotError, RecordError } from './errors';
import type { Send } from './transport';
import type { CrmObjectType, PropertyDefinition, TokenInfo } from './types';

/**
 * The gateway's administrative calls: what the token is, and the portal's property definitions and
 * groups (`uld install`, `uld doctor`). Rarely made, never on the sync path.
 */
export class AdminCalls {
  constructor(
    private readonly send: Send,
    private readonly paths: ApiPaths,
    private readonly accessToken: string,
  ) {}

  /**
   * What the token is: its app, account and granted scopes, from HubSpot's private-app token introspection
   * (`POST /oauth/v2/private-apps/get/access-token-info`, HubSpot's private apps guide; why every version
   * uses it: `TOKEN_INFO_PATH`).
   */
  async tokenInfo(): Promise<TokenInfo> {
    const { data } = await this.send<{ hubId?: unknown; appId?: unknown; userId?: unknown; scopes?: unknown }>('oauth.token-info.read', {
      method: 'POST',
      path: this.paths.tokenInfo,
      body: { tokenKey: this.accessToken },
    });
    const o = data ?? {};
    if (!Array.isArray(o.scopes)) throw new HubSpotError('HubSpot token introspection answered without a scopes list', { kind: 'oauth.token-info.read' });
    return {
      hubId: o.hubId === undefined ? null : String(o.hubId),
      appId: o.appId === undefined ? null : String(o.appId),
      scopes: (o.scopes as unknown[]).map(String).sort(),
    };
  }

  async listProperties(objectType: CrmObjectType): Promise<PropertyDefinition[]> {
    type Raw = { name: string; label: string; type: string; fieldType: string; groupName: string; description?: string; options?: Array<{ label: string; value: string; displayOrder?: number; hidden: boolean }> };
    const { data } = await this.send<{ results?: Raw[] }>(`${objectType}.properties.read`, { method: 'GET', path: this.paths.properties(objectType), qs: { archived: 'false' } });
    return (data?.results ?? []).map((p) => ({
      name: p.name,
      label: p.label,
      type: p.type as PropertyDefinition['type'],
      fieldType: p.fieldType,
      groupName: p.groupName,
      ...(p.description ? { description: p.description } : {}),
      ...(p.options && p.options.length > 0
        ? { options: p.options.map((opt) => ({ label: opt.label, value: opt.value, ...(opt.displayOrder !== undefined ? { displayOrder: opt.displayOrder } : {}), hidden: opt.hidden })) }
        : {}),
    }));
  }

  async createProperty(objectType: CrmObjectType, property: PropertyDefinition): Promise<void> {
    const body = {
      name: property.name,
      label: property.label,
      type: property.type,
      fieldType: property.fieldType,
      groupName: property.groupName,
      ...(property.description !== undefined ? { description: property.description } : {}),
      ...(property.options ? { options: optionInputs(property.options) } : {}),
    };
    // HubSpot refuses a second property of the same name (409), so a retry can never create it twice.
    await this.send(`${objectType}.properties.create`, { method: 'POST', path: this.paths.properties(objectType), body });
  }

  async updateProperty(objectType: CrmObjectType, name: string, changes: Partial<Omit<PropertyDefinition, 'name' | 'type'>>): Promise<void> {
    const body = {
      ...(changes.label !== undefined ? { label: changes.label } : {}),
      ...(changes.groupName !== undefined ? { groupName: changes.groupName } : {}),
      ...(changes.description !== undefined ? { description: changes.description } : {}),
      ...(changes.fieldType !== undefined ? { fieldType: changes.fieldType } : {}),
      // Options sent replace the whole list (an option left out is removed), so always send all of them.
      ...(changes.options ? { options: optionInputs(changes.options) } : {}),
    };
    await this.send(`${objectType}.properties.update`, { method: 'PATCH', path: this.paths.property(objectType, name), body });
  }

  async ensurePropertyGroup(objectType: CrmObjectType, group: { name: string; label: string; displayOrder?: number }): Promise<'created' | 'exists'> {
    try {
      await this.send(`${objectType}.properties.groups.create`, {
        method: 'POST',
        path: this.paths.propertyGroups(objectType),
        body: { name: group.name, label: group.label, ...(group.displayOrder !== undefined ? { displayOrder: group.displayOrder } : {}) },
      });
      return 'created';
    } catch (err) {
      // One call instead of list-then-create; a duplicate answers 409.
      if (err instanceof RecordError && err.status === 409) return 'exists';
      throw err;
    }
  }
}
