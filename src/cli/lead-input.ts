import fs from 'node:fs';
import { parse } from 'csv-parse/sync';

/**
 * Contacts to evaluate from a file: a HubSpot contact export (CSV, column labels as HubSpot writes them),
 * a CSV of internal property names, or JSON. Associated-company values go in `company.<name>` columns.
 */
export interface InputLead {
  /** Record ID when the file has one, else the row number. */
  id: string;
  contact: Record<string, string | null>;
  company: Record<string, string | null> | null;
}

/** Column labels of HubSpot's contact export, mapped to internal property names. */
export const HUBSPOT_EXPORT_LABELS: Readonly<Record<string, string>> = {
  'record id': 'hs_object_id',
  email: 'email',
  'first name': 'firstname',
  'last name': 'lastname',
  'job title': 'jobtitle',
  'country/region': 'country',
  country: 'country',
  'state/region': 'state',
  city: 'city',
  'phone number': 'phone',
  'company name': 'company',
  'website url': 'website',
  industry: 'industry',
  'number of employees': 'numemployees',
  'annual revenue': 'annualrevenue',
  'create date': 'createdate',
  'lifecycle stage': 'lifecyclestage',
  'lead status': 'hs_lead_status',
  'contact owner': 'hubspot_owner_id',
  'original source': 'hs_analytics_source',
  'number of pageviews': 'hs_analytics_num_page_views',
  'number of form submissions': 'num_conversion_events',
  'recent conversion': 'recent_conversion_event_name',
  'recent conversion date': 'recent_conversion_date',
  'last visit date': 'hs_analytics_last_visit_timestamp',
  'last marketing email click date': 'hs_email_last_click_date',
  'last marketing email open date': 'hs_email_last_open_date',
  'email hard bounce reason': 'hs_email_hard_bounce_reason_enum',
};

export class InputError extends Error {}

/** The internal name a column stands for: a known export label, `company.<name>`, or the name itself. */
export function columnToProperty(header: string): { object: 'contact' | 'company'; name: string } {
  const h = header.trim();
  const lower = h.toLowerCase();
  if (lower.startsWith('company.')) return { object: 'company', name: lower.slice('company.'.length) };
  const label = HUBSPOT_EXPORT_LABELS[lower];
  if (label) return { object: 'contact', name: label };
  return { object: 'contact', name: lower.replace(/[^a-z0-9_]+/g, '_') };
}

function fromFlat(row: Record<string, unknown>, index: number): InputLead {
  const contact: Record<string, string | null> = {};
  let company: Record<string, string | null> | null = null;
  for (const [key, raw] of Object.entries(row)) {
    const value = raw === null || raw === undefined ? null : typeof raw === 'object' ? JSON.stringify(raw) : String(raw);
    const { object, name } = columnToProperty(key);
    if (object === 'company') (company ??= {})[name] = value;
    else contact[name] = value;
  }
  return { id: contact.hs_object_id ?? String(index + 1), contact, company };
}

function toStrings(o: unknown): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  if (o && typeof o === 'object') {
    for (const [k, v] of Object.entries(o)) out[k] = v === null || v === undefined ? null : String(v);
  }
  return out;
}

export function readLeads(file: string): InputLead[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new InputError(`${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (err as Error).message}`);
  }
  if (/\.json$/i.test(file)) {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (err) {
      throw new InputError(`${file}: not valid JSON: ${(err as Error).message}`);
    }
    const rows = Array.isArray(data) ? data : (data as { results?: unknown[] })?.results;
    if (!Array.isArray(rows)) throw new InputError(`${file}: expected a JSON array of contacts (or {"results": [...]} as HubSpot's API returns)`);
    return rows.map((row, i) => {
      if (!row || typeof row !== 'object') throw new InputError(`${file}: item ${i} is not an object`);
      const r = row as Record<string, unknown>;
      // HubSpot API shape {id, properties}, optionally with a company; or {contact, company}; or flat.
      if (r.properties && typeof r.properties === 'object') {
        const contact = toStrings(r.properties);
        return { id: String(r.id ?? contact.hs_object_id ?? i + 1), contact, company: r.company ? toStrings((r.company as { properties?: unknown }).properties ?? r.company) : null };
      }
      if (r.contact && typeof r.contact === 'object') {
        const contact = toStrings(r.contact);
        return { id: String(r.id ?? contact.hs_object_id ?? i + 1), contact, company: r.company ? toStrings(r.company) : null };
      }
      return fromFlat(r, i);
    });
  }
  let rows: Record<string, string>[];
  try {
    rows = parse(text, { columns: true, skip_empty_lines: true, bom: true, relax_column_count: false, trim: false });
  } catch (err) {
    throw new InputError(`${file}: not valid CSV: ${(err as Error).message}`);
  }
  return rows.map((row, i) => fromFlat(row, i));
}
