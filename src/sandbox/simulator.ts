import { associationKind } from './crm/associations';
import type { ObjectType } from './crm/object-types';
import type { ChangeSource, CrmRecord, Portal, WriteSource } from './crm/portal';
import { Random, WeightedTable } from './random';
import { CONVERSION_EVENTS, FIRST_NAMES, FREE_MAIL_DOMAINS, LAST_NAMES, SENIORITY_WEIGHTS, TITLES } from './generator/vocabulary';

/**
 * Keeps a portal alive: visitors view pages, fill in forms, new contacts arrive, reps move deals through
 * stages, marketing emails get opened. Every change goes through the portal (so it shows up in property
 * history and in webhooks with the change source a real portal would report: ANALYTICS, FORM, CRM_UI,
 * EMAIL, IMPORT). Deterministic for a seed when driven by `step()`.
 */
export type ActivityKind = 'pageView' | 'formSubmission' | 'newContact' | 'stageMove' | 'emailEngagement';

export interface SimulatorOptions {
  seed?: number | string;
  /** Activities per second while running. */
  ratePerSecond?: number;
  /** Relative weights of the activity kinds. */
  mix?: Partial<Record<ActivityKind, number>>;
  /** Timer resolution while running. */
  tickMs?: number;
}

export interface SimulatedActivity {
  kind: ActivityKind;
  objectType: ObjectType;
  objectId: string;
  changeSource: ChangeSource;
  at: number;
}

const DEFAULT_MIX: Record<ActivityKind, number> = { pageView: 50, emailEngagement: 20, formSubmission: 15, newContact: 10, stageMove: 5 };

export class ActivitySimulator {
  readonly counts: Record<ActivityKind, number> = { pageView: 0, formSubmission: 0, newContact: 0, stageMove: 0, emailEngagement: 0 };
  private readonly random: Random;
  private readonly kinds: WeightedTable<ActivityKind>;
  private readonly listeners = new Set<(activity: SimulatedActivity) => void>();
  private timer: NodeJS.Timeout | undefined;
  private budget = 0;
  private ratePerSecond: number;
  private readonly tickMs: number;

  constructor(
    private readonly portal: Portal,
    options: SimulatorOptions = {},
  ) {
    this.random = new Random(`${options.seed ?? 1}:simulator`);
    const mix = { ...DEFAULT_MIX, ...(options.mix ?? {}) };
    this.kinds = new WeightedTable(Object.entries(mix) as Array<[ActivityKind, number]>);
    this.ratePerSecond = options.ratePerSecond ?? 5;
    this.tickMs = options.tickMs ?? 100;
  }

  get running(): boolean {
    return this.timer !== undefined;
  }

  /** Starts changing the portal at `ratePerSecond` activities per second (the option when omitted). */
  start(ratePerSecond = this.ratePerSecond): void {
    if (!(ratePerSecond > 0)) throw new RangeError('ratePerSecond must be positive');
    this.ratePerSecond = ratePerSecond;
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.budget += (this.ratePerSecond * this.tickMs) / 1000;
      const due = Math.floor(this.budget);
      this.budget -= due;
      if (due > 0) this.step(due);
    }, this.tickMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.budget = 0;
  }

  onActivity(listener: (activity: SimulatedActivity) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Performs `count` activities now, synchronously. */
  step(count = 1): SimulatedActivity[] {
    const done: SimulatedActivity[] = [];
    for (let i = 0; i < count; i += 1) {
      const activity = this.perform(this.kinds.draw(this.random));
      if (!activity) continue;
      this.counts[activity.kind] += 1;
      done.push(activity);
      for (const listener of this.listeners) listener(activity);
    }
    return done;
  }

  /**
   * A list import: `count` new contacts written with change source IMPORT in one burst (imports are where
   * HubSpot's thousands-of-events bursts come from). Returns the new ids.
   */
  importContacts(count: number): string[] {
    const source: WriteSource = { sourceType: 'IMPORT', sourceId: `userId:${this.someUserId()}` };
    const ids: string[] = [];
    for (let i = 0; i < count; i += 1) ids.push(this.createContact(source).id);
    return ids;
  }

  private perform(kind: ActivityKind): SimulatedActivity | undefined {
    const at = this.portal.clock();
    switch (kind) {
      case 'pageView': {
        const contact = this.randomRecord('contacts');
        if (!contact) return undefined;
        const views = Number(contact.properties.hs_analytics_num_page_views ?? 0) + this.random.int(1, 3);
        this.write(contact, { hs_analytics_num_page_views: String(views), hs_analytics_last_visit_timestamp: new Date(at).toISOString() }, { sourceType: 'ANALYTICS' });
        return { kind, objectType: 'contacts', objectId: contact.id, changeSource: 'ANALYTICS', at };
      }
      case 'emailEngagement': {
        const contact = this.randomRecord('contacts');
        if (!contact) return undefined;
        const values: Record<string, string> = { hs_email_last_open_date: new Date(at).toISOString() };
        if (this.random.chance(0.3)) values.hs_email_last_click_date = values.hs_email_last_open_date as string;
        this.write(contact, values, { sourceType: 'EMAIL' });
        return { kind, objectType: 'contacts', objectId: contact.id, changeSource: 'EMAIL', at };
      }
      case 'formSubmission': {
        const contact = this.randomRecord('contacts');
        if (!contact) return undefined;
        const highIntent = this.random.chance(0.25);
        const values: Record<string, string> = {
          num_conversion_events: String(Number(contact.properties.num_conversion_events ?? 0) + 1),
          recent_conversion_event_name: this.random.pick(highIntent ? CONVERSION_EVENTS.highIntent : CONVERSION_EVENTS.lowIntent),
          recent_conversion_date: new Date(at).toISOString(),
        };
        // HubSpot moves lifecycle stages forward on form submissions, never back.
        const stage = contact.properties.lifecyclestage;
        if (!stage || stage === 'subscriber') values.lifecyclestage = 'lead';
        else if (stage === 'lead' && highIntent) values.lifecyclestage = 'marketingqualifiedlead';
        this.write(contact, values, { sourceType: 'FORM' });
        return { kind, objectType: 'contacts', objectId: contact.id, changeSource: 'FORM', at };
      }
      case 'newContact': {
        const contact = this.createContact({ sourceType: 'FORM' });
        return { kind, objectType: 'contacts', objectId: contact.id, changeSource: 'FORM', at };
      }
      case 'stageMove': {
        const deal = this.randomOpenDeal();
        if (!deal) return undefined;
        const pipeline = this.portal.pipelines.get(deal.properties.pipeline ?? 'default');
        if (!pipeline) return undefined;
        const open = pipeline.stages.filter((s) => s.metadata.isClosed === 'false');
        const index = open.findIndex((s) => s.id === deal.properties.dealstage);
        const closing = index === open.length - 1 || this.random.chance(0.15);
        const closedStages = pipeline.stages.filter((s) => s.metadata.isClosed === 'true');
        const won = closedStages.find((s) => this.portal.pipelines.isClosedWon(s));
        const lost = closedStages.find((s) => !this.portal.pipelines.isClosedWon(s));
        const next = closing ? (this.random.chance(0.4) ? won : lost) : open[index + 1];
        if (!next) return undefined;
        const userId = this.someUserId();
        this.write(deal, { dealstage: next.id }, { sourceType: 'CRM_UI', sourceId: `userId:${userId}`, userId });
        return { kind, objectType: 'deals', objectId: deal.id, changeSource: 'CRM_UI', at };
      }
      default:
        return undefined;
    }
  }

  private createContact(source: WriteSource): CrmRecord {
    const firstname = this.random.pick(FIRST_NAMES);
    const lastname = this.random.pick(LAST_NAMES);
    const seniority = new WeightedTable(SENIORITY_WEIGHTS).draw(this.random);
    const company = this.randomRecord('companies');
    const freeMail = !company || this.random.chance(0.2);
    const domain = freeMail ? this.random.pick(FREE_MAIL_DOMAINS)[0] : (company?.properties.domain ?? 'example.com');
    const local = `${firstname}.${lastname}`.toLowerCase().replace(/[^a-z.]/g, '');
    let email = `${local}@${domain}`;
    for (let n = 2; this.portal.emailOwner(email); n += 1) email = `${local}${n}@${domain}`;
    const values: Record<string, string> = {
      email,
      firstname,
      lastname,
      lifecyclestage: 'lead',
      hs_lead_status: 'NEW',
      hs_analytics_source: source.sourceType === 'IMPORT' ? 'OFFLINE' : this.random.pick(['ORGANIC_SEARCH', 'PAID_SEARCH', 'DIRECT_TRAFFIC', 'SOCIAL_MEDIA', 'REFERRALS']),
      hs_analytics_num_page_views: String(this.random.int(0, 6)),
      num_conversion_events: source.sourceType === 'FORM' ? '1' : '0',
    };
    if (seniority !== 'none') values.jobtitle = this.random.pick(TITLES[seniority]);
    if (company?.properties.country) values.country = company.properties.country;
    if (source.sourceType === 'FORM') {
      values.recent_conversion_event_name = this.random.pick([...CONVERSION_EVENTS.highIntent, ...CONVERSION_EVENTS.lowIntent]);
      values.recent_conversion_date = new Date(this.portal.clock()).toISOString();
    }
    const record = this.portal.create('contacts', values, source);
    const kind = associationKind('contacts', 'companies', 1);
    if (company && kind) this.portal.associate('contacts', record.id, 'companies', company.id, kind, source);
    return record;
  }

  private write(record: CrmRecord, values: Record<string, string>, source: WriteSource): void {
    this.portal.update(record.type, record.id, values, source);
  }

  private randomRecord(type: ObjectType): CrmRecord | undefined {
    const ids = this.portal.ids(type);
    for (let attempt = 0; attempt < 20 && ids.length > 0; attempt += 1) {
      const record = this.portal.get(type, this.random.pick(ids));
      if (record) return record;
    }
    return undefined;
  }

  private randomOpenDeal(): CrmRecord | undefined {
    for (let attempt = 0; attempt < 30; attempt += 1) {
      const deal = this.randomRecord('deals');
      if (deal && deal.properties.hs_is_closed !== 'true') return deal;
    }
    return undefined;
  }

  private someUserId(): number {
    const owners = this.portal.listOwners();
    return owners.length > 0 ? this.random.pick(owners).userId : 1;
  }
}
