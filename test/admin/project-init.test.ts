import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { backendModule, decideSources, hashText } from '../../src/admin/project-card';
import { initProject, renderInit, STATE_FILE, type InitOptions } from '../../src/admin/project-init';
import { mergeOwned, type Json } from '../../src/admin/project-merge';
import { appScopes } from '../../src/admin/scopes';

/** Issue 12: `uld init` run again updates what it owns, says what changed, and keeps the admin's own edits. */

describe('the merge rule for one file', () => {
  const lists = { tags: (x: Json) => String(x) };
  // [case, on disk, wanted now, last written, expected result, expected change kinds]
  it.each<[string, Record<string, Json> | undefined, Record<string, Json>, Record<string, Json> | undefined, Record<string, Json>, string[]]>([
    ['a new file takes everything', undefined, { a: 1, b: { c: 'x' } }, undefined, { a: 1, b: { c: 'x' } }, ['set', 'set']],
    ['a field as uld wrote it is updated', { a: 1 }, { a: 2 }, { a: 1 }, { a: 2 }, ['updated']],
    ['a field the admin edited stays', { a: 5 }, { a: 2 }, { a: 1 }, { a: 5 }, ['kept-edit']],
    ['without a record, a differing field is taken for an edit', { a: 5 }, { a: 2 }, undefined, { a: 5 }, ['kept-edit']],
    ['a deleted field is written again', { x: true }, { a: 2 }, { a: 1 }, { x: true, a: 2 }, ['set']],
    ['keys uld does not own are never touched', { mine: { deep: [1, 2] }, a: 1 }, { a: 1 }, { a: 1 }, { mine: { deep: [1, 2] }, a: 1 }, []],
    ['a field uld no longer wants goes if unchanged', { a: 1, old: 'v' }, { a: 1 }, { a: 1, old: 'v' }, { a: 1 }, ['removed']],
    ['a field uld no longer wants stays if edited', { a: 1, old: 'edited' }, { a: 1 }, { a: 1, old: 'v' }, { a: 1, old: 'edited' }, []],
    ['list: wanted items are added, the ones uld wrote and no longer wants removed', { tags: ['x', 'y'] }, { tags: ['x', 'z'] }, { tags: ['x', 'y'] }, { tags: ['x', 'z'] }, ['removed-item', 'added-item']],
    ["list: the admin's own items stay", { tags: ['x', 'mine'] }, { tags: ['x'] }, { tags: ['x'] }, { tags: ['x', 'mine'] }, ['kept-item']],
    ['list: an item the admin removed stays removed', { tags: [] }, { tags: ['x'] }, { tags: ['x'] }, { tags: [] }, ['kept-removal']],
    ['list: without a record nothing on disk is dropped', { tags: ['old', 'x'] }, { tags: ['x', 'new'] }, undefined, { tags: ['old', 'x', 'new'] }, ['kept-item', 'added-item']],
  ])('%s', (_case, current, wanted, last, expected, kinds) => {
    const result = mergeOwned(current, wanted, last, lists);
    expect(result.content).toEqual(expected);
    expect(result.changes.map((c) => c.kind)).toEqual(kinds);
    expect(result.written).toEqual(Object.fromEntries(Object.entries(wanted).flatMap(([k, v]) => (typeof v === 'object' && v !== null && !Array.isArray(v) ? Object.entries(v).map(([k2, v2]) => [`${k}.${k2}`, v2]) : [[k, v]]))));
  });

  it('an item or field on disk before uld wanted it stays the admin\'s: kept once uld stops wanting it, while what uld added goes', () => {
    const lists = { tags: (x: Json) => String(x) };
    // The admin's tag and field exist; uld then wants them too, and adds one tag and one field of its own.
    const shared = mergeOwned({ tags: ['mine'], email: 'a@x' }, { tags: ['mine', 'ours'], email: 'a@x', phone: '1' }, { tags: [] }, lists);
    expect(shared.content).toEqual({ tags: ['mine', 'ours'], email: 'a@x', phone: '1' });
    expect(shared.theirs).toEqual({ tags: ['mine'], email: true });
    // While uld keeps wanting them, the ownership is carried from run to run.
    const again = mergeOwned(shared.content, { tags: ['mine', 'ours'], email: 'a@x', phone: '1' }, shared.written, lists, { theirs: shared.theirs });
    expect(again.changes).toEqual([]);
    expect(again.theirs).toEqual(shared.theirs);
    // uld stops wanting all of it: its own go, the admin's stay and are named.
    const after = mergeOwned(again.content, { tags: [] }, again.written, lists, { theirs: again.theirs });
    expect(after.content).toEqual({ tags: ['mine'], email: 'a@x' });
    expect(after.changes).toEqual([
      { path: 'tags', kind: 'kept-item', detail: 'mine' },
      { path: 'tags', kind: 'removed-item', detail: 'ours' },
      { path: 'email', kind: 'kept-item', detail: '"a@x"' },
      { path: 'phone', kind: 'removed', detail: '"1"' },
    ]);
    expect(after.theirs).toEqual({});
  });

  it("an admin's item uld also wanted, removed by the admin, stays removed and stays theirs", () => {
    const lists = { tags: (x: Json) => String(x) };
    const result = mergeOwned({ tags: [] }, { tags: ['mine'] }, { tags: ['mine'] }, lists, { theirs: { tags: ['mine'] } });
    expect(result.content).toEqual({ tags: [] });
    expect(result.changes).toEqual([{ path: 'tags', kind: 'kept-removal', detail: 'mine' }]);
    expect(result.theirs).toEqual({ tags: ['mine'] });
  });

  it('a forced path (named on the command line) replaces an edit', () => {
    const result = mergeOwned({ platformVersion: '2026.03' }, { platformVersion: '2026.09' }, undefined, {}, { force: new Set(['platformVersion']) });
    expect(result.content).toEqual({ platformVersion: '2026.09' });
    expect(result.changes).toEqual([{ path: 'platformVersion', kind: 'updated', detail: '"2026.03" -> "2026.09"' }]);
  });
});

const REPO_CARD = path.resolve(__dirname, '..', '..', 'card');
/** card/src's sources, as the project gets them: every .ts/.tsx file, sorted (the tests are in card/test). */
const CARD_SOURCES = fs.readdirSync(path.join(REPO_CARD, 'src')).filter((f) => /\.tsx?$/.test(f)).sort();

describe("the rule for the card's source files", () => {
  const h = hashText;
  // [case, on disk, wanted, last written (as text), expected [file, action, change kinds]]
  it.each<[string, Record<string, string | undefined>, Record<string, string>, Record<string, string>, Array<[string, string, string[]]>]>([
    ['absent: written', { a: undefined }, { a: 'v2' }, {}, [['a', 'create', []]]],
    ['as wanted: nothing to do', { a: 'v2' }, { a: 'v2' }, { a: 'v1' }, [['a', 'ok', []]]],
    ['as uld wrote it: updated', { a: 'v1' }, { a: 'v2' }, { a: 'v1' }, [['a', 'update', ['updated']]]],
    ['edited by the admin: kept', { a: 'mine' }, { a: 'v2' }, { a: 'v1' }, [['a', 'ok', ['kept-edit']]]],
    ['there before uld ever wrote it: kept', { a: 'mine' }, { a: 'v2' }, {}, [['a', 'ok', ['kept-edit']]]],
    ['written earlier, no longer wanted, unchanged: removed', { old: 'v1' }, {}, { old: 'v1' }, [['old', 'remove', ['removed']]]],
    ['written earlier, no longer wanted, edited: kept', { old: 'mine' }, {}, { old: 'v1' }, [['old', 'ok', ['kept-edit']]]],
    ['written earlier, no longer wanted, already gone: nothing', { old: undefined }, {}, { old: 'v1' }, []],
  ])('%s', (_case, onDisk, wanted, lastText, expected) => {
    const last = Object.fromEntries(Object.entries(lastText).map(([k, v]) => [k, h(v)]));
    const { decisions, written } = decideSources(onDisk, wanted, last);
    expect(decisions.map((d) => [d.file, d.action, d.changes.map((c) => c.kind)])).toEqual(expected);
    for (const d of decisions) expect(d.write).toBe(d.action === 'create' || d.action === 'update' ? wanted[d.file] : undefined);
    // The next run's record: what uld wants now, whether or not the admin's edit stayed.
    expect(written).toEqual(Object.fromEntries(Object.entries(wanted).map(([k, v]) => [k, h(v)])));
  });
});

describe('uld init on a folder', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uld-init-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const scopes = appScopes({ handOffTask: false });
  const SUBSCRIPTIONS = [{ subscriptionType: 'contact.creation' }, { subscriptionType: 'contact.propertyChange', propertyName: 'jobtitle' }];
  const base = (): InitOptions => ({
    dir,
    targetUrl: 'https://leads.example.com/webhooks/hubspot',
    subscriptions: SUBSCRIPTIONS,
    requiredScopes: scopes.required,
    optionalScopes: scopes.optional,
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the files are HubSpot's loose JSON; each test reads the paths it checks
  const read = (file: string) => JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as Record<string, any>;
  const write = (file: string, value: unknown) => fs.writeFileSync(path.join(dir, file), JSON.stringify(value, null, 2));
  const text = (file: string) => fs.readFileSync(path.join(dir, file), 'utf8');
  const APP = 'src/app/app-hsmeta.json';
  const HOOKS = 'src/app/webhooks/webhooks-hsmeta.json';
  const CARD = 'src/app/cards/qualification-card-hsmeta.json';
  const subs = () => (read(HOOKS).config.subscriptions.legacyCrmObjects as Array<{ subscriptionType: string; propertyName?: string }>).map((s) => `${s.subscriptionType}${s.propertyName ? `:${s.propertyName}` : ''}`);

  it('when run on an empty folder, then it writes the project, the card and its record, and a second run changes nothing', () => {
    const first = initProject(base());
    expect(first.files.map((f) => [f.file, f.action])).toEqual([
      ['hsproject.json', 'create'],
      [APP, 'create'],
      [HOOKS, 'create'],
      [CARD, 'create'],
      ['src/app/cards/package.json', 'create'],
      ['src/app/cards/tsconfig.json', 'create'],
      ...CARD_SOURCES.map((f) => [`src/app/cards/${f}`, 'create']),
    ]);
    expect(read(CARD)).toEqual({ uid: 'qualification_card', type: 'card', config: { name: 'Lead qualification', description: expect.any(String), location: 'crm.record.tab', objectTypes: ['contacts'], entrypoint: '/app/cards/QualificationCard.tsx' } });
    expect(read('src/app/cards/package.json').dependencies).toEqual({ '@hubspot/ui-extensions': '0.17.0', react: '18.3.1' });
    // The sources are the repository's card, tests left out; backend.ts names the origin of WEBHOOK_PUBLIC_URL.
    for (const f of CARD_SOURCES.filter((f) => f !== 'backend.ts')) expect(text(`src/app/cards/${f}`)).toBe(fs.readFileSync(path.join(REPO_CARD, 'src', f), 'utf8'));
    expect(text('src/app/cards/backend.ts')).toBe(backendModule('https://leads.example.com'));
    expect(text('src/app/cards/backend.ts')).toContain('export const BACKEND_ORIGIN = "https://leads.example.com";');
    expect(renderInit(first)).toContain('note: after the upload, add the "Lead qualification" card to the contact record view');
    expect(read('hsproject.json')).toEqual({ name: 'Universal Lead Definition', srcDir: 'src', platformVersion: '2026.09' });
    expect(read(APP).config.permittedUrls).toEqual({ fetch: ['https://leads.example.com'] });
    expect(read(STATE_FILE).files[HOOKS]['config.settings.targetUrl']).toBe('https://leads.example.com/webhooks/hubspot');
    const before = fs.readdirSync(dir, { recursive: true }).map((f) => [f, fs.statSync(path.join(dir, String(f))).mtimeMs]);

    const second = initProject(base());
    expect(second.files.every((f) => f.action === 'ok' && f.changes.length === 0)).toBe(true);
    expect(renderInit(second)).toContain('nothing to change');
    expect(fs.readdirSync(dir, { recursive: true }).map((f) => [f, fs.statSync(path.join(dir, String(f))).mtimeMs])).toEqual(before);
  });

  it('when the definition and the URL change, then it updates its own fields and lists and says what changed', () => {
    initProject(base());
    const report = initProject({ ...base(), targetUrl: 'https://uld.example.org/webhooks/hubspot', subscriptions: [{ subscriptionType: 'contact.creation' }, { subscriptionType: 'contact.propertyChange', propertyName: 'industry' }] });
    expect(subs()).toEqual(['contact.creation', 'contact.propertyChange:industry']);
    expect(read(HOOKS).config.settings.targetUrl).toBe('https://uld.example.org/webhooks/hubspot');
    expect(read(APP).config.permittedUrls.fetch).toEqual(['https://uld.example.org']);
    const text = renderInit(report);
    expect(text).toContain('removed config.subscriptions.legacyCrmObjects: contact.propertyChange jobtitle');
    expect(text).toContain('added config.subscriptions.legacyCrmObjects: contact.propertyChange industry');
    expect(text).toContain('updated config.settings.targetUrl: "https://leads.example.com/webhooks/hubspot" -> "https://uld.example.org/webhooks/hubspot"');
    expect(text).toContain('removed config.permittedUrls.fetch: https://leads.example.com');
    expect(text).toContain('added config.permittedUrls.fetch: https://uld.example.org');
  });

  it("when an admin edited the files, then their edits, keys, scopes, subscriptions and components stay, and the report names each", () => {
    initProject(base());
    const app = read(APP);
    app.config.name = 'Lead scoring (RevOps)';
    app.config.logo = 'assets/logo.png';
    (app.config.auth.optionalScopes ??= []).push('crm.objects.leads.read');
    app.config.auth.requiredScopes = app.config.auth.requiredScopes.filter((s: string) => s !== 'crm.objects.deals.write');
    write(APP, app);
    const hooks = read(HOOKS);
    hooks.config.settings.maxConcurrentRequests = 5;
    hooks.config.subscriptions.legacyCrmObjects.push({ subscriptionType: 'deal.propertyChange', propertyName: 'hs_priority', active: true });
    hooks.config.subscriptions.hubEvents = [{ subscriptionType: 'contact.privacyDeletion', active: true }];
    write(HOOKS, hooks);
    fs.mkdirSync(path.join(dir, 'src/app/cards'), { recursive: true });
    write('src/app/cards/lead-card-hsmeta.json', { uid: 'lead_card', type: 'card', config: {} });

    const report = initProject({ ...base(), subscriptions: [...base().subscriptions, { subscriptionType: 'company.creation' }] });
    const after = read(APP);
    expect(after.config.name).toBe('Lead scoring (RevOps)');
    expect(after.config.logo).toBe('assets/logo.png');
    expect(after.config.auth.optionalScopes).toContain('crm.objects.leads.read');
    expect(after.config.auth.requiredScopes).not.toContain('crm.objects.deals.write');
    expect(read(HOOKS).config.settings.maxConcurrentRequests).toBe(5);
    expect(read(HOOKS).config.subscriptions.hubEvents).toHaveLength(1);
    expect(subs()).toEqual(['contact.creation', 'contact.propertyChange:jobtitle', 'deal.propertyChange:hs_priority', 'company.creation']);
    expect(read('src/app/cards/lead-card-hsmeta.json').uid).toBe('lead_card');
    const text = renderInit(report);
    expect(text).toContain('kept your edit of config.name: "Lead scoring (RevOps)" kept; uld would write "Universal Lead Definition"');
    expect(text).toContain('kept your own config.auth.optionalScopes: crm.objects.leads.read');
    expect(text).toContain('kept your removal of config.auth.requiredScopes: crm.objects.deals.write');
    expect(text).toContain('kept your edit of config.settings.maxConcurrentRequests: 5 kept; uld would write 10');
    expect(text).toContain('kept your own config.subscriptions.legacyCrmObjects: deal.propertyChange hs_priority');
    expect(text).toContain('added config.subscriptions.legacyCrmObjects: company.creation');
  });

  it('when the admin deletes a field, then init writes its value again', () => {
    initProject(base());
    const hooks = read(HOOKS);
    hooks.config.settings.maxConcurrentRequests = 5;
    write(HOOKS, hooks);
    initProject(base());
    delete hooks.config.settings.maxConcurrentRequests;
    write(HOOKS, hooks);
    initProject(base());
    expect(read(HOOKS).config.settings.maxConcurrentRequests).toBe(10);
  });

  it('when the platform version is asked for, then it replaces the one on disk, and the version-bound fields are checked against it', () => {
    initProject(base());
    const app = read(APP);
    app.permissions = { requiredScopes: ['crm.objects.contacts.read'] };
    write(APP, app);
    const report = initProject({ ...base(), platformVersion: '2026.03' });
    expect(read('hsproject.json').platformVersion).toBe('2026.03');
    expect(report.warnings.join('\n')).toContain('HubSpot will refuse src/app/app-hsmeta.json: permissions: permissions needs platformVersion 2026.09-beta or later');
  });

  it('when 2026.03 was named after an upload refused 2026.09, then later runs without the option keep it and say why, until another version is named', () => {
    expect(renderInit(initProject(base()))).toMatch(/^platform version 2026\.09: the default; if `project upload` refuses it, run `uld init --platform-version 2026\.03` \(the documented fallback\)\n/);
    const fallback = initProject({ ...base(), platformVersion: '2026.03' });
    expect(read('hsproject.json').platformVersion).toBe('2026.03');
    expect(renderInit(fallback)).toMatch(/^platform version 2026\.03: named with --platform-version; later runs keep it until another --platform-version is named\n/);
    expect(renderInit(fallback)).toContain('updated platformVersion: "2026.09" -> "2026.03"');

    // The definition changed: the README says to run init again, without the option.
    const plain = initProject({ ...base(), subscriptions: [...base().subscriptions, { subscriptionType: 'company.creation' }] });
    expect(read('hsproject.json').platformVersion).toBe('2026.03');
    expect(plain.files.find((f) => f.file === 'hsproject.json')?.action).toBe('ok');
    expect(renderInit(plain)).toMatch(/^platform version 2026\.03: named with --platform-version on an earlier run \(kept in \.uld-init\.json\); `uld init --platform-version 2026\.09` moves it\n/);

    const moved = initProject({ ...base(), platformVersion: '2026.09' });
    expect(read('hsproject.json').platformVersion).toBe('2026.09');
    expect(renderInit(moved)).toContain('updated platformVersion: "2026.03" -> "2026.09"');
    // Named again, it is the one kept.
    expect(renderInit(initProject(base()))).toMatch(/^platform version 2026\.09: named with --platform-version on an earlier run/);
    expect(read('hsproject.json').platformVersion).toBe('2026.09');
  });

  it('when the record names a platform version init does not write, then it stops with one line saying how to choose one', () => {
    initProject(base());
    write(STATE_FILE, { ...read(STATE_FILE), platformVersion: '2025.2' });
    expect(() => initProject(base())).toThrow(/^\.uld-init\.json records platformVersion "2025\.2", which uld init does not write: name one with --platform-version 2026\.09 or 2026\.03$/);
    expect(initProject({ ...base(), platformVersion: '2026.03' }).platformVersion).toEqual({ version: '2026.03', source: 'option' });
  });

  // [what, file, list path, the admin's item as written by hand, its name as printed, options under which uld needs it too]
  it.each<[string, string, string, unknown, string, Partial<InitOptions>]>([
    ['a subscription', HOOKS, 'config.subscriptions.legacyCrmObjects', { subscriptionType: 'company.propertyChange', propertyName: 'industry', active: true }, 'company.propertyChange industry', { subscriptions: [...SUBSCRIPTIONS, { subscriptionType: 'company.propertyChange', propertyName: 'industry' }] }],
    ['a required scope', APP, 'config.auth.requiredScopes', 'crm.objects.leads.read', 'crm.objects.leads.read', { requiredScopes: [...scopes.required, 'crm.objects.leads.read'] }],
    ['an optional scope', APP, 'config.auth.optionalScopes', 'crm.objects.leads.read', 'crm.objects.leads.read', { optionalScopes: ['crm.objects.leads.read'] }],
    ['a fetch origin', APP, 'config.permittedUrls.fetch', 'https://uld.example.org', 'https://uld.example.org', { targetUrl: 'https://uld.example.org/webhooks/hubspot' }],
  ])("when %s the admin added by hand is later needed by uld too, then it stays the admin's once uld no longer needs it", (_what, file, listPath, item, name, needing) => {
    const list = () => listPath.split('.').reduce((o, k) => o?.[k], read(file)) as unknown[] | undefined;
    initProject(base());
    const edited = read(file);
    const parent = listPath.split('.').slice(0, -1).reduce((o, k) => (o[k] ??= {}), edited);
    (parent[listPath.split('.').at(-1)!] ??= []).push(item);
    write(file, edited);

    initProject({ ...base(), ...needing });
    expect(list()?.filter((x) => JSON.stringify(x) === JSON.stringify(item))).toHaveLength(1);
    expect(read(STATE_FILE).theirs[file][listPath]).toEqual([name]);

    const report = initProject(base());
    expect(list()).toContainEqual(item);
    const text = renderInit(report);
    expect(text).toContain(`kept your own ${listPath}: ${name}`);
    expect(text).not.toContain(`removed ${listPath}: ${name}`);
  });

  it('when a support detail the admin typed by hand is later set by a variable and then unset, then it stays', () => {
    initProject(base());
    const app = read(APP);
    app.config.support = { supportEmail: 'revops@example.com' };
    write(APP, app);
    initProject({ ...base(), support: { supportEmail: 'revops@example.com', supportUrl: 'https://example.com/help' } });
    const report = initProject(base());
    expect(read(APP).config.support).toEqual({ supportEmail: 'revops@example.com' });
    expect(renderInit(report)).toContain('kept your own config.support.supportEmail: "revops@example.com"');
    expect(renderInit(report)).toContain('removed config.support.supportUrl: "https://example.com/help"');
  });

  it.each(['http://leads.example.com/webhooks/hubspot', 'https://localhost:3000/webhooks/hubspot'])('when WEBHOOK_PUBLIC_URL is %s, then the target URL is written, no fetch origin is, the card is with a placeholder, and the warnings say why', (targetUrl) => {
    const report = initProject({ ...base(), targetUrl });
    expect(read(HOOKS).config.settings.targetUrl).toBe(targetUrl);
    expect(read(APP).config.permittedUrls).toBeUndefined();
    expect(read(CARD).config.entrypoint).toBe('/app/cards/QualificationCard.tsx');
    expect(text('src/app/cards/backend.ts')).toBe(backendModule(null));
    const out = renderInit(report);
    expect(out).toMatch(targetUrl.startsWith('http:') ? /warning: WEBHOOK_PUBLIC_URL http:\/\/leads\.example\.com\/webhooks\/hubspot is not https: .*`hs project upload` will refuse/ : /warning: WEBHOOK_PUBLIC_URL https:\/\/localhost:3000\/webhooks\/hubspot is on localhost/);
    expect(out).toContain('\nwarning: the qualification card cannot call its backend until WEBHOOK_PUBLIC_URL is an https URL HubSpot can reach: it was written with a placeholder origin; set the URL and run `uld init` again\n');
  });

  it("when the admin edited one of the card's sources and added their own, then both stay, and uld's other sources follow WEBHOOK_PUBLIC_URL", () => {
    initProject(base());
    fs.appendFileSync(path.join(dir, 'src/app/cards/Card.tsx'), '\n// our tweak\n');
    fs.writeFileSync(path.join(dir, 'src/app/cards/OurCard.tsx'), 'export {};\n');
    const report = initProject({ ...base(), targetUrl: 'https://uld.example.org/webhooks/hubspot' });
    expect(text('src/app/cards/Card.tsx')).toMatch(/\/\/ our tweak\n$/);
    expect(text('src/app/cards/OurCard.tsx')).toBe('export {};\n');
    expect(text('src/app/cards/backend.ts')).toBe(backendModule('https://uld.example.org'));
    const out = renderInit(report);
    expect(out).toContain("unchanged src/app/cards/Card.tsx\n    kept your edit of file: your version kept; delete the file and run `uld init` again to take uld's");
    expect(out).toContain("updated   src/app/cards/backend.ts\n    updated file: uld's version changed (a new uld, or a new WEBHOOK_PUBLIC_URL in backend.ts)");
    expect(out).not.toContain('OurCard.tsx');

    // Deleted, the file is uld's again.
    fs.rmSync(path.join(dir, 'src/app/cards/Card.tsx'));
    initProject(base());
    expect(text('src/app/cards/Card.tsx')).toBe(fs.readFileSync(path.join(REPO_CARD, 'src', 'Card.tsx'), 'utf8'));
  });

  it('when a source uld wrote is no longer part of the card, then it is removed if untouched and kept if edited', () => {
    initProject(base());
    // As if an earlier uld had written two more files.
    const state = read(STATE_FILE);
    for (const [f, body] of [['Old.tsx', 'old'], ['Older.ts', 'older']]) {
      fs.writeFileSync(path.join(dir, 'src/app/cards', f), body);
      state.sources[`src/app/cards/${f}`] = hashText(body);
    }
    write(STATE_FILE, state);
    fs.appendFileSync(path.join(dir, 'src/app/cards/Older.ts'), ' edited');
    const out = renderInit(initProject(base()));
    expect(fs.existsSync(path.join(dir, 'src/app/cards/Old.tsx'))).toBe(false);
    expect(text('src/app/cards/Older.ts')).toBe('older edited');
    expect(out).toContain('removed   src/app/cards/Old.tsx');
    expect(out).toContain('unchanged src/app/cards/Older.ts\n    kept your edit of file: no longer part of the card; kept because you edited it');
    expect(Object.keys(read(STATE_FILE).sources)).toEqual(CARD_SOURCES.map((f) => `src/app/cards/${f}`));
  });

  it('when an admin edited the card component, then the edit stays like any other', () => {
    initProject(base());
    const card = read(CARD);
    card.config.name = 'Qualification (RevOps)';
    card.config.objectTypes.push('companies');
    write(CARD, card);
    const out = renderInit(initProject(base()));
    expect(read(CARD).config.name).toBe('Qualification (RevOps)');
    expect(read(CARD).config.objectTypes).toEqual(['contacts', 'companies']);
    expect(out).toContain('kept your edit of config.name: "Qualification (RevOps)" kept; uld would write "Lead qualification"');
    expect(out).toContain('kept your own config.objectTypes: companies');
  });

  it('when a file on disk is not JSON, then it stops with one line naming it', () => {
    initProject(base());
    fs.writeFileSync(path.join(dir, APP), '{ "uid": ');
    expect(() => initProject(base())).toThrow(/^src\/app\/app-hsmeta\.json is not valid JSON \(.*\): fix it, or delete it and run `uld init` again$/);
  });
});
