import fs from 'node:fs';
import path from 'node:path';
import { importCycles, importGraph, lineCount, sourceFiles } from './support/import-graph';

/**
 * Issue 16, acceptance 1: a newcomer can hold each room in one sitting and follow the arrows one way. No file in
 * src/, webhooks/ or jobs/ is over 400 lines, except the data tables named below; no import cycle between
 * them, type-only imports included (docs/architecture.md draws the arrows).
 */
const ROOT = path.join(__dirname, '..');
const FOLDERS = ['src', 'webhooks', 'jobs'];
const MAX_LINES = 400;

/**
 * Data, not logic: these may grow past the limit as HubSpot or the product adds rows, and splitting a table
 * by line count would not make it easier to read. Only tables belong here.
 */
const DATA_TABLES: Record<string, string> = {
  'src/config/schema.ts': 'the configuration table: one entry per setting (ENV_SPECS)',
  'src/sandbox/crm/property-catalog.ts': "the sandbox's catalogue of HubSpot-defined properties and their options",
  'src/sandbox/generator/vocabulary.ts': "the sandbox's word lists and weights for synthetic records",
};

const files = sourceFiles(ROOT, FOLDERS);
const graph = importGraph(ROOT, files);

describe('the house', () => {
  it('walks every source file of src/, webhooks/ and jobs/', () => {
    // A walk that found nothing (a moved folder, a wrong root) would pass both checks below.
    for (const folder of FOLDERS) expect(files.filter((f) => f.file.startsWith(`${folder}/`)).length).toBeGreaterThan(5);
    expect(files.map((f) => f.file)).toEqual(expect.arrayContaining(['src/sync/engine.ts', 'webhooks/receiver.ts', 'jobs/scheduler.ts']));
  });

  it(`no file is over ${MAX_LINES} lines, data tables aside`, () => {
    const tooLong = files.filter((f) => f.lines > MAX_LINES && !(f.file in DATA_TABLES)).map((f) => `${f.file}: ${f.lines} lines`);
    expect(tooLong).toEqual([]);
  });

  it('the data tables the limit spares exist, under the name they are listed by', () => {
    const missing = Object.keys(DATA_TABLES).filter((file) => !fs.existsSync(path.join(ROOT, file)));
    expect(missing).toEqual([]);
  });

  it('every relative import names a file', () => {
    expect(graph.unresolved).toEqual([]);
  });

  it('no import cycle, type-only imports included', () => {
    const cycles = importCycles(graph.edges).map(({ cycle, files: tangled }) =>
      tangled.length > cycle.length - 1 ? `${cycle.join(' -> ')} (with ${tangled.filter((f) => !cycle.includes(f)).join(', ')})` : cycle.join(' -> '),
    );
    expect(cycles).toEqual([]);
  });
});

/**
 * "One place builds the object graph" (issue 16): the gateway, the compiled definition and the store are built
 * in src/composition and passed down; nobody else makes their own. The exceptions are where the part lives
 * (the gateway's and the store's own folders, the definition's compiler), the figures worker thread (a thread
 * has its own connection: it cannot share the process's), and the demo, which compiles its definition before
 * its configuration exists and hands it to the graph.
 */
const BUILDERS: Array<{ call: RegExp; allowed: string[] }> = [
  { call: /\b(createGateway|new HubSpotGateway)\(/, allowed: ['src/composition/', 'src/hubspot/'] },
  { call: /(?<![.\w])openStore\(/, allowed: ['src/composition/', 'src/store/', 'src/figures-worker/thread.ts'] },
  { call: /\bcompileDefinition\(/, allowed: ['src/composition/', 'src/definition/', 'src/cli/commands/demo-world.ts'] },
];

describe('one place builds the object graph', () => {
  it.each(BUILDERS.map((b) => [b.call.source, b] as const))('%s is called only where it is allowed', (_name, { call, allowed }) => {
    const callers = files.filter((f) => call.test(f.text) && !allowed.some((a) => f.file.startsWith(a))).map((f) => f.file);
    expect(callers).toEqual([]);
    // The check reads real files: the builder itself must be found, or the pattern matches nothing.
    expect(files.some((f) => f.file.startsWith('src/composition/') && call.test(f.text))).toBe(true);
  });
});

describe('the checks themselves', () => {
  const graphOf = (sources: Record<string, string>) =>
    importGraph(
      ROOT,
      Object.entries(sources).map(([file, text]) => ({ file, text })),
    );

  it.each([
    ['', 0],
    ['one', 1],
    ['one\n', 1],
    ['one\ntwo', 2],
    ['one\ntwo\n', 2],
    ['\n\n', 2],
  ])('counts the lines of %j as %d', (text, lines) => {
    expect(lineCount(text)).toBe(lines);
  });

  it.each([
    ["import type { A } from './a';"],
    ["import { type A } from './a';"],
    ["export type { A } from './a';"],
    ["export * from './a';"],
    ["import './a';"],
    ["const a = import('./a');"],
    ["type A = typeof import('./a');"],
    ["let a: import('./a').A;"],
    ["import a = require('./a');"],
  ])('sees the arrow in %s', (line) => {
    const graph = graphOf({ 'x/b.ts': `${line}\nimport pkg from '../package.json';`, 'x/a.ts': '' });
    expect(graph.edges.get('x/b.ts')).toEqual(['x/a.ts']);
  });

  it('resolves a folder to its index and a .tsx file, and reports a specifier that names nothing', () => {
    const graph = graphOf({
      'x/b.ts': "import { c } from './c';\nimport { D } from './d';\nimport { e } from './nowhere';\nimport fs from 'node:fs';",
      'x/c/index.ts': '',
      'x/d.tsx': '',
    });
    expect(graph.edges.get('x/b.ts')).toEqual(['x/c/index.ts', 'x/d.tsx']);
    expect(graph.unresolved).toEqual(["x/b.ts: './nowhere'"]);
  });

  it('finds every cycle, a file importing itself included, and nothing in a graph without one', () => {
    const edges = new Map<string, string[]>([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a', 'd']],
      ['d', ['e']],
      ['e', ['f']],
      ['f', []],
      ['g', ['g']],
      ['h', ['i', 'a']],
      ['i', ['h']],
    ]);
    expect(importCycles(edges)).toEqual([
      { cycle: ['a', 'b', 'c', 'a'], files: ['a', 'b', 'c'] },
      { cycle: ['g', 'g'], files: ['g'] },
      { cycle: ['h', 'i', 'h'], files: ['h', 'i'] },
    ]);
    expect(importCycles(new Map([['a', ['b', 'c']], ['b', ['c']], ['c', []]]))).toEqual([]);
  });

  it('names the shortest loop and every other file tangled in it', () => {
    const edges = new Map<string, string[]>([
      ['a', ['b', 'c']],
      ['b', ['a']],
      ['c', ['d']],
      ['d', ['a']],
    ]);
    expect(importCycles(edges)).toEqual([{ cycle: ['a', 'b', 'a'], files: ['a', 'b', 'c', 'd'] }]);
  });
});
