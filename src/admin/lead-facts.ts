import type { Facts } from '../definition';

/** One lead as the admin tools judge it (what-if, calibrate): its facts, its primary company's, and when to judge it. */
export interface LeadFacts {
  id: string;
  email: string | null;
  contact: Facts;
  /** The primary company's facts, null without one. */
  company: Facts | null;
  /** The primary company's id, when the read was asked for it (accounts), null without one. */
  companyId?: string | null;
  /** The instant to judge the lead at: its first deal's creation when these are its as-of facts; absent: now. */
  at?: number;
}
