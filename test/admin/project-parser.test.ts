import { spawn } from 'node:child_process';
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { INIT_PLATFORM_VERSIONS } from '../../src/admin/project-files';
import { freshCloneFolder, runUld } from '../server/child';

/**
 * Issue 12, acceptance 1: on a fresh clone with only WEBHOOK_PUBLIC_URL set, `uld init` writes a project that
 * HubSpot's own parser (@hubspot/project-parsing-lib) reads as exactly an app, the qualification card (issue
 * 13) and a webhooks component, for each platform version uld writes. The library is ESM, so it runs in its
 * own node process. The card's entry, as written, bundles with the real backend origin in it.
 */
const ROOT = path.resolve(__dirname, '..', '..');
const PARSE = path.join(ROOT, 'test', 'support', 'parse-hubspot-project.mjs');
const URL = 'https://leads.example.com/webhooks/hubspot';

interface Parsed {
  projectConfig?: Record<string, unknown>;
  skippedHsMetaFiles?: string[];
  errors: string[];
  components?: Array<{ type: string; uid: string; metaFilePath: string; componentDeps: Record<string, unknown>; config: unknown }>;
}

function parse(projectDir: string): Promise<Parsed> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [PARSE, projectDir], { cwd: ROOT });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out) as Parsed) : reject(new Error(`the parser exited ${code}: ${err}`))));
  });
}

describe("HubSpot's parser reads what `uld init` writes", () => {
  let clone = '';
  // A fresh clone as far as uld can tell: the example definition, no .env, no lead-definition.yaml.
  freshCloneFolder('uld-clone-', (dir) => (clone = dir));

  it.each(INIT_PLATFORM_VERSIONS)('platform %s: exactly an app, the card and a webhooks component, with our uid and config', async (version) => {
    const dir = path.join(clone, `project-${version}`);
    const run = await runUld(['init', '--dir', dir, '--platform-version', version], { WEBHOOK_PUBLIC_URL: URL }, { cwd: clone });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);

    const parsed = await parse(dir);
    expect(parsed.errors).toEqual([]);
    expect(parsed.skippedHsMetaFiles).toEqual([]);
    expect(parsed.projectConfig).toEqual({ name: 'Universal Lead Definition', srcDir: 'src', platformVersion: version });
    const read = (file: string) => JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as { uid: string; config: unknown };
    const app = read('src/app/app-hsmeta.json');
    const webhooks = read('src/app/webhooks/webhooks-hsmeta.json');
    const card = read('src/app/cards/qualification-card-hsmeta.json');
    expect(parsed.components!.map((c) => [c.type, c.uid, c.metaFilePath])).toEqual([
      ['app', 'universal_lead_definition', 'app/app-hsmeta.json'],
      ['card', 'qualification_card', 'app/cards/qualification-card-hsmeta.json'],
      ['webhooks', 'webhooks', 'app/webhooks/webhooks-hsmeta.json'],
    ]);
    const [appNode, cardNode, webhooksNode] = parsed.components!;
    expect(appNode!.config).toEqual(app.config);
    expect(cardNode!.config).toEqual(card.config);
    expect(webhooksNode!.config).toEqual(webhooks.config);
    // The parser makes the card and the webhooks children of our app.
    expect(cardNode!.componentDeps).toMatchObject({ app: 'universal_lead_definition' });
    expect(webhooksNode!.componentDeps).toMatchObject({ app: 'universal_lead_definition' });
    expect((webhooks.config as { settings: { targetUrl: string } }).settings.targetUrl).toBe(URL);
    expect((app.config as { permittedUrls: { fetch: string[] } }).permittedUrls.fetch).toEqual(['https://leads.example.com']);

    // The entrypoint is a path from srcDir, and what is there bundles on its own with the origin hubspot.fetch may call.
    const entry = path.join(dir, 'src', (card.config as { entrypoint: string }).entrypoint);
    const bundle = await build({ entryPoints: [entry], bundle: true, write: false, format: 'esm', jsx: 'automatic', nodePaths: [path.join(ROOT, 'node_modules')], define: { 'process.env.NODE_ENV': '"production"' }, logLevel: 'silent' });
    expect(bundle.outputFiles[0]!.text).toContain('"https://leads.example.com"');
    expect(bundle.outputFiles[0]!.text).not.toContain('uld-backend.invalid');
  }, 60_000);

  // The check above can fail: the same parser run over broken projects names each break.
  it.each<[string, (dir: string) => void, RegExp]>([
    ['a top-level key HubSpot does not allow', (dir) => edit(path.join(dir, 'src/app/app-hsmeta.json'), (o) => (o.settings = {})), /app\/app-hsmeta\.json: .*settings/],
    ['a webhooks component outside its folder', (dir) => fs.renameSync(path.join(dir, 'src/app/webhooks/webhooks-hsmeta.json'), path.join(dir, 'src/app/cards-hsmeta.json')), /skipped|belongs in/],
    ['permissions on 2026.03', (dir) => edit(path.join(dir, 'src/app/app-hsmeta.json'), (o) => (o.permissions = { requiredScopes: [] })), /permissions on 2026\.03/],
    ['the card outside its folder', (dir) => fs.renameSync(path.join(dir, 'src/app/cards/qualification-card-hsmeta.json'), path.join(dir, 'src/app/webhooks/qualification-card-hsmeta.json')), /qualification-card-hsmeta\.json: a card component belongs in app\/cards/],
  ])('and names a break: %s', async (_case, breakIt, expected) => {
    const dir = path.join(clone, `broken-${Math.random().toString(36).slice(2)}`);
    const run = await runUld(['init', '--dir', dir, '--platform-version', '2026.03'], { WEBHOOK_PUBLIC_URL: URL }, { cwd: clone });
    expect(run.status).toBe(0);
    breakIt(dir);
    const parsed = await parse(dir);
    expect([...parsed.errors, ...(parsed.skippedHsMetaFiles ?? []).map((f) => `skipped ${f}`)].join('\n')).toMatch(expected);
  }, 60_000);
});

function edit(file: string, change: (o: Record<string, unknown>) => void): void {
  const o = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  change(o);
  fs.writeFileSync(file, JSON.stringify(o));
}
