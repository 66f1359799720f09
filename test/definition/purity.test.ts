import { spawnSync } from 'node:child_process';
import path from 'node:path';

/**
 * The definition and the metrics are pure (no I/O, `now` a parameter): the lint rule in eslint.config.mjs
 * fails on any I/O import into src/definition or src/metrics, and the code there passes it. ESLint runs as
 * `npm run lint` runs it, in its own process (its config loads as an ES module, which jest's VM does not).
 */
const ROOT = path.join(__dirname, '..', '..');
const ESLINT = path.join(ROOT, 'node_modules', 'eslint', 'bin', 'eslint.js');
const RULE = '@typescript-eslint/no-restricted-imports';

interface LintResult {
  filePath: string;
  messages: Array<{ ruleId: string | null; line: number; message: string }>;
}

function lint(args: string[], input?: string): LintResult[] {
  const run = spawnSync(process.execPath, [ESLINT, '--format', 'json', ...args], { cwd: ROOT, input, encoding: 'utf8', timeout: 60_000 });
  if (!run.stdout) throw new Error(`eslint printed nothing: ${run.stderr}`);
  return JSON.parse(run.stdout) as LintResult[];
}

const restricted = (results: LintResult[]) => results.flatMap((r) => r.messages.filter((m) => m.ruleId === RULE).map((m) => `${path.relative(ROOT, r.filePath)}:${m.line} ${m.message}`));

describe('the pure core', () => {
  it.each([
    ["import fs from 'node:fs';", 'src/definition/bad.ts', 'fs'],
    ["import { createHash } from 'crypto';", 'src/definition/bad.ts', 'createHash'],
    ["import { configFromEnvironment } from '../config';", 'src/definition/bad.ts', 'configFromEnvironment'],
    ["import cron from 'node-cron';", 'src/metrics/bad.ts', 'cron'],
    ["import { Kysely } from 'kysely';", 'src/metrics/bad.ts', 'Kysely'],
    ["import type { Store } from '../store/types';", 'src/metrics/bad.ts', 'null as unknown as Store'],
    ["import { Client } from '@hubspot/api-client';", 'src/definition/deep/bad.ts', 'Client'],
    ["import express from 'express';", 'src/metrics/bad.ts', 'express'],
    ["import { openStore } from '../store';", 'src/metrics/bad.ts', 'openStore'],
  ])('when %s is written in %s, then the lint rule fails', (code, file, use) => {
    const found = restricted(lint(['--stdin', '--stdin-filename', file], `${code}\nexport const used = ${use};\n`));
    expect(found).toHaveLength(1);
  });

  it('when the same import is outside the core, then the rule says nothing', () => {
    expect(restricted(lint(['--stdin', '--stdin-filename', 'src/definition-file.ts'], "import fs from 'node:fs';\nexport const used = fs;\n"))).toEqual([]);
  });

  it("when the core imports the mirror's rows (src/store/mirror-types), then the rule says nothing: they are its input data", () => {
    const code = "import { DATED_ORIGINS, type MirrorContact } from '../store/mirror-types';\nexport const used: [typeof DATED_ORIGINS, MirrorContact | null] = [DATED_ORIGINS, null];\n";
    expect(restricted(lint(['--stdin', '--stdin-filename', 'src/metrics/good.ts'], code))).toEqual([]);
  });

  it('when src/definition, src/metrics and the mirror rows they read are linted, then no file imports I/O', () => {
    const results = lint(['src/definition', 'src/metrics', 'src/store/mirror-types.ts']);
    expect(results.length).toBeGreaterThan(20);
    expect(restricted(results)).toEqual([]);
  });
});
