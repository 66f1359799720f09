import path from 'node:path';
import { build } from 'esbuild';
import ts from 'typescript';

/**
 * Issue 13: `npm test` typechecks and bundles the card. Typechecked: its sources, strict, with the options the
 * project ships (what HubSpot builds; its tests are typechecked by `npm run typecheck`, card/test/tsconfig.json).
 * Bundled from its entry with React and the SDK resolved from node_modules, the way HubSpot's build bundles the
 * uploaded project.
 */
const CARD = path.resolve(__dirname, '..');

function typeErrors(tsconfig: string): string[] {
  const parsed = ts.getParsedCommandLineOfConfigFile(tsconfig, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n')); } });
  if (!parsed) throw new Error(`cannot read ${tsconfig}`);
  const program = ts.createProgram(parsed.fileNames, parsed.options);
  return ts.getPreEmitDiagnostics(program).map((d) => `${d.file ? path.relative(CARD, d.file.fileName) : ''}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
}

describe('the card builds', () => {
  it('its sources typecheck (strict)', () => {
    const tsconfig = path.join(CARD, 'tsconfig.json');
    const parsed = ts.getParsedCommandLineOfConfigFile(tsconfig, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
    expect(parsed?.options.strict).toBe(true);
    expect(parsed?.options.jsx).toBe(ts.JsxEmit.ReactJSX);
    expect(parsed?.fileNames.map((f) => path.relative(CARD, f))).toEqual(expect.arrayContaining(['src/QualificationCard.tsx', 'src/contract.ts']));
    expect(typeErrors(tsconfig)).toEqual([]);
  }, 60_000);

  it('bundles from its entry with React and the SDK resolved', async () => {
    const result = await build({
      entryPoints: [path.join(CARD, 'src', 'QualificationCard.tsx')],
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'browser',
      target: 'es2020',
      jsx: 'automatic',
      define: { 'process.env.NODE_ENV': '"production"' },
      metafile: true,
      logLevel: 'silent',
    });
    expect(result.errors).toEqual([]);
    const code = result.outputFiles[0]!.text;
    expect(code.length).toBeGreaterThan(50_000);
    // The card's own texts and the SDK's fetch (the worker global it calls) are in it.
    for (const s of ['Re-evaluate now', 'Reject because', '/card/contacts/', 'hsFetch']) expect(code).toContain(s);
    const inputs = Object.keys(result.metafile.inputs);
    for (const p of ['node_modules/react/', 'node_modules/@hubspot/ui-extensions/dist/', 'card/src/contract.ts', 'card/src/backend.ts']) expect(inputs.some((i) => i.includes(p))).toBe(true);
  }, 60_000);

  it('and a broken import fails the bundle (the check above can fail)', async () => {
    await expect(build({ stdin: { contents: "import { Nope } from './nowhere';\nNope();", resolveDir: path.join(CARD, 'src'), loader: 'tsx' }, bundle: true, write: false, logLevel: 'silent' })).rejects.toThrow(/Could not resolve "\.\/nowhere"/);
  });
});
