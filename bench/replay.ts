import path from 'node:path';
import { compileDefinition } from '../src/definition';
import { loadDefinitionFile } from '../src/definition-file';
import { replayContact, type RecordPast } from '../src/replay';
import { generatePortal, PROPERTY_HISTORY_BOUND, type RecordSeed } from '../src/sandbox';

/**
 * The replay's throughput on a generated portal (`backfill.replay_evals_per_sec`, reported by the
 * `backfill-history` bench): definition evaluations per second of wall-clock time while replaying every
 * contact of the example definition over its generated history, and contacts replayed per second. Run
 * alone with `node dist/bench/replay.js [contacts]`.
 */
export interface ReplayThroughput {
  contacts: number;
  evaluations: number;
  evalsPerSec: number;
  contactsPerSec: number;
  /** Mean history points read per contact (its inputs and its company's). */
  pointsPerContact: number;
}

const NOW = Date.UTC(2025, 5, 1);

/** A generated record's past as the gateway's history read would give it: newest first, cut at the bound. */
function pastOf(seed: RecordSeed, props: readonly string[]): { past: RecordPast; points: number } {
  const history: RecordPast['history'] = {};
  let points = 0;
  for (const p of props) {
    const kept = seed.history?.[p];
    const value = seed.properties[p];
    const list = kept ?? (value === undefined ? [] : [{ value, timestamp: seed.createdAt, sourceType: seed.origin?.sourceType ?? 'IMPORT' }]);
    const served = list.slice(-PROPERTY_HISTORY_BOUND).reverse();
    points += served.length;
    (history as Record<string, unknown>)[p] = served;
  }
  return { past: { current: seed.properties, history }, points };
}

export function measureReplay(contacts = 20_000): ReplayThroughput {
  const def = compileDefinition(loadDefinitionFile(path.join(__dirname, '..', '..', 'lead-definition.example.yaml')));
  const portal = generatePortal({ seed: 'replay-bench', contacts, now: NOW });
  const companyOf = new Map(portal.associations.contactToCompany);
  const companies = new Map(portal.companies.map((c) => [c.id, c]));
  let points = 0;
  const inputs = portal.contacts.map((c) => {
    const contact = pastOf(c, def.contactProperties);
    const seed = companies.get(companyOf.get(c.id) ?? '');
    const company = seed ? pastOf(seed, def.companyProperties) : undefined;
    points += contact.points + (company?.points ?? 0);
    return { contact: contact.past, company: company?.past ?? null, now: NOW, bound: PROPERTY_HISTORY_BOUND };
  });
  let evaluations = 0;
  const start = process.hrtime.bigint();
  for (const input of inputs) evaluations += replayContact(def, input).evaluations;
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { contacts, evaluations, evalsPerSec: Math.round(evaluations / seconds), contactsPerSec: Math.round(contacts / seconds), pointsPerContact: Math.round((points / contacts) * 10) / 10 };
}

if (require.main === module) {
  console.log(JSON.stringify(measureReplay(Number(process.argv[2] ?? 20_000)), null, 2));
}
