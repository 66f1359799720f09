import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BENCHES } from './index';

/**
 * `npm run bench [-- name ...]`: runs the benchmarks (all, or the named ones), prints one table and
 * merges their figures into bench/results/latest.json together with the machine and the date.
 * Never part of `npm test`: these take minutes and measure a noisy machine.
 */
async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((w) => !BENCHES.some((b) => b.name === w));
  if (unknown.length > 0) {
    process.stderr.write(`unknown benchmark(s): ${unknown.join(', ')}; known: ${BENCHES.map((b) => b.name).join(', ')}\n`);
    process.exit(2);
  }
  const selected = wanted.length > 0 ? BENCHES.filter((b) => wanted.includes(b.name)) : BENCHES;
  const resultsPath = path.join(__dirname, '..', '..', 'bench', 'results', 'latest.json');
  let previous: Record<string, unknown> = {};
  try {
    previous = JSON.parse(fs.readFileSync(resultsPath, 'utf8')) as Record<string, unknown>;
  } catch {
    previous = {};
  }
  const figures: Record<string, number> = {};
  const table: Array<{ bench: string; measure: string; value: string; note: string }> = [];
  for (const bench of selected) {
    process.stdout.write(`running ${bench.name}...\n`);
    const result = await bench.run();
    Object.assign(figures, result.figures);
    for (const row of result.rows) table.push({ bench: bench.name, measure: row.measure, value: row.value, note: row.note ?? '' });
  }
  const widths = ['bench', 'measure', 'value', 'note'].map((k) =>
    Math.max(k.length, ...table.map((r) => String(r[k as keyof typeof r]).length)),
  );
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  process.stdout.write(`\n${line(['bench', 'measure', 'value', 'note'])}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n`);
  for (const r of table) process.stdout.write(`${line([r.bench, r.measure, r.value, r.note])}\n`);
  process.stdout.write('\nfigures:\n');
  for (const [k, v] of Object.entries(figures)) process.stdout.write(`  ${k} = ${v}\n`);

  const cpus = os.cpus();
  const out = {
    ...previous,
    ...figures,
    machine: { cpus: cpus.length, model: cpus[0]?.model ?? 'unknown', memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.platform()} ${os.release()}` },
    date: new Date().toISOString(),
  };
  fs.mkdirSync(path.dirname(resultsPath), { recursive: true });
  fs.writeFileSync(resultsPath, `${JSON.stringify(out, null, 2)}\n`);
  process.stdout.write(`\nwrote ${path.relative(process.cwd(), resultsPath)}\n`);
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
