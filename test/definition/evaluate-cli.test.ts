import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { compileDefinition, evaluate, STATUSES } from '../../src/definition';
import { loadDefinitionFile } from '../../src/definition-file';
import { readLeads } from '../../src/cli/lead-input';

/**
 * `uld evaluate --input` is how an admin tries the definition on a HubSpot export before installing:
 * a 1,000-row CSV in HubSpot's export columns (plus company.<name> columns) must come back with a status
 * and the reasons for every row, the same decisions the evaluator makes.
 */

const ROOT = path.join(__dirname, '..', '..');
const EXAMPLE = path.join(ROOT, 'lead-definition.example.yaml');
const NOW = '2026-06-15T12:00:00Z';

/** A deterministic export: a small linear congruential generator picks each column's value. */
function exportCsv(rows: number): string {
  let seed = 12345;
  const pick = <T>(xs: readonly T[]): T => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    // The high bits: the low bits of a power-of-two LCG repeat with a short period.
    return xs[Math.floor(seed / 65536) % xs.length]!;
  };
  const header = ['Record ID', 'Email', 'Job Title', 'Country/Region', 'Number of Pageviews', 'Number of Form Submissions', 'Recent Conversion', 'Recent Conversion Date', 'Last Visit Date', 'Lifecycle Stage', 'company.industry', 'company.numberofemployees', 'company.annualrevenue'];
  const lines = [header.join(',')];
  for (let i = 1; i <= rows; i++) {
    const domain = pick(['acme.com', 'globex.io', 'gmail.com', 'initech.de', 'rivalscore.io', 'umbrella.co.uk']);
    const email = pick([`user${i}@${domain}`, `user${i}@${domain}`, '', 'not-an-email']);
    const row = [
      String(1000 + i),
      email,
      pick(['VP Marketing', 'Head of Sales', 'Marketing Manager', 'Engineer', 'Student', '"Director, Operations"', '']),
      pick(['United States', 'Germany', 'Brazil', 'united kingdom', '']),
      pick(['0', '3', '12', '40', '']),
      pick(['0', '1', '3', '5']),
      pick(['Demo request', 'Pricing page form', 'Ebook download', '']),
      pick(['2026-06-10T09:00:00Z', '2026-03-01T09:00:00Z', '2025-11-20T09:00:00Z', '', 'last week']),
      pick(['2026-06-14T09:00:00Z', '2026-05-01T09:00:00Z', '']),
      pick(['lead', 'subscriber', 'customer', '']),
      pick(['COMPUTER_SOFTWARE', 'FINANCIAL_SERVICES', 'RETAIL', '']),
      pick(['8', '25', '120', '4000', '', 'about 50']),
      pick(['500000', '25000000', '']),
    ];
    lines.push(row.join(','));
  }
  return `${lines.join('\n')}\n`;
}

describe('uld evaluate --input', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uld-evaluate-'));
  const csv = path.join(dir, 'contacts-export.csv');
  fs.writeFileSync(csv, exportCsv(1000));
  const uld = (...args: string[]) => spawnSync(process.execPath, [path.join(ROOT, 'bin', 'uld'), 'evaluate', '--input', csv, '--definition', EXAMPLE, '--now', NOW, ...args], { cwd: dir, env: { PATH: process.env.PATH }, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });

  it('when given a 1,000-row HubSpot export, then it prints every contact with its status and reasons, and a count per status', () => {
    const run = uld();
    expect(run.status).toBe(0);
    // The sample leaves out three columns the definition reads: the admin is told, not left guessing.
    expect(run.stderr).toBe('note: the input has no values for hs_email_hard_bounce_reason_enum, hs_email_last_click_date, company.country; rules reading them see an empty value\n');
    const lines = run.stdout.split('\n');
    const rows = lines.filter((l) => /^\d{4} {9}/.test(l));
    expect(rows).toHaveLength(1000);
    for (const row of rows) expect(row).toMatch(new RegExp(`^\\d{4}\\s+\\S*\\s+(${STATUSES.join('|')})\\s+[\\d.]+\\s+[\\d.]+\\s+[\\d.]+\\s+(Disqualified|Needs data|Nurture|Marketing qualified|Sales ready): `));
    const summary = lines.find((l) => l.startsWith('1000 contacts: '));
    expect(summary).toBeDefined();
    const counts = Object.fromEntries([...summary!.matchAll(/(\w+) (\d+)/g)].map((m) => [m[1], Number(m[2])]));
    expect(STATUSES.reduce((n, s) => n + (counts[s] ?? 0), 0)).toBe(1000);
    // The sample is built so that every status occurs.
    for (const s of STATUSES) expect(counts[s]).toBeGreaterThan(0);
    expect(run.stdout).toContain('Disqualifier: Personal email address (not a business domain) (email: ');
    expect(run.stdout).toContain('company.numberofemployees is "about 50", not a number');
  });

  it('when asked for JSON, then each decision equals the evaluator run directly on the same row', () => {
    const run = uld('--format', 'json');
    expect(run.status).toBe(0);
    const out = JSON.parse(run.stdout) as Array<{ id: string; status: string; reasons: Array<{ text: string }>; totalScore: number }>;
    expect(out).toHaveLength(1000);
    const def = compileDefinition(loadDefinitionFile(EXAMPLE));
    const leads = readLeads(csv);
    leads.forEach((lead, i) => {
      const expected = JSON.parse(JSON.stringify(evaluate(def, lead.contact, lead.company, Date.parse(NOW)))) as Record<string, unknown>;
      expect(out[i]).toEqual({ id: lead.id, email: lead.contact.email ?? '', ...expected });
    });
  });

  it('when the input or an option is wrong, then the error names it and the exit code is 2', () => {
    const missing = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'uld'), 'evaluate', '--input', path.join(dir, 'nope.csv'), '--definition', EXAMPLE], { cwd: dir, env: { PATH: process.env.PATH }, encoding: 'utf8' });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('nope.csv: file not found');
    const badFormat = uld('--format', 'xml');
    expect(badFormat.status).toBe(2);
    expect(badFormat.stderr).toContain('--format expected table or json, found "xml"');
    const badNow = uld('--now', 'tomorrow');
    expect(badNow.status).toBe(2);
    expect(badNow.stderr).toContain('--now expected an ISO date-time');
  });
});
