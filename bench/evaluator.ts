import path from 'node:path';
import { compileDefinition, evaluate } from '../src/definition';
import { loadDefinitionFile } from '../src/definition-file';
import { evaluateNaive } from './naive-evaluator';
import { syntheticLeads } from './synthetic-leads';
import type { Bench } from './lib';

const CONTACTS = 100_000;
const NOW = Date.parse('2026-11-23T12:00:00Z');

interface Rates {
  /** Evaluations per second of wall-clock time, in the fastest pass. */
  wall: number;
  /** Evaluations per second of this process's CPU time (user and system, every thread), in its least costly pass. */
  cpu: number;
}

/**
 * Best of several passes over the same contacts: the machine is shared, so the best pass is the truest.
 * CPU time is measured too because a pass that other processes delay takes longer on the wall clock but
 * hardly longer in CPU time; the wall-clock figure is the one the target is about.
 */
function rates(passes: number, run: () => void): Rates {
  let bestWall = Infinity;
  let bestCpu = Infinity;
  for (let i = 0; i < passes; i++) {
    const cpu = process.cpuUsage();
    const start = process.hrtime.bigint();
    run();
    bestWall = Math.min(bestWall, Number(process.hrtime.bigint() - start) / 1e9);
    const used = process.cpuUsage(cpu);
    bestCpu = Math.min(bestCpu, (used.user + used.system) / 1e6);
  }
  return { wall: CONTACTS / bestWall, cpu: CONTACTS / bestCpu };
}

export const evaluatorBench: Bench = {
  name: 'evaluator',
  async run() {
    const parsed = loadDefinitionFile(path.join(__dirname, '..', '..', 'lead-definition.example.yaml'));
    const compiled = compileDefinition(parsed);
    const leads = syntheticLeads(CONTACTS, 42, NOW);
    let sink = 0;
    // Warm up both paths so the JIT has compiled them before timing.
    for (let i = 0; i < 20_000; i++) {
      const l = leads[i]!;
      sink += evaluate(compiled, l.contact, l.company, NOW).totalScore;
      sink += evaluateNaive(parsed, l.contact, l.company, NOW).totalScore;
    }
    // Ten passes of the compiled evaluator (a fraction of a second each): on a busy machine, more passes
    // make it likelier that one runs undisturbed. The naive baseline takes seconds per pass.
    const compiledRates = rates(10, () => {
      for (const l of leads) sink += evaluate(compiled, l.contact, l.company, NOW).totalScore;
    });
    const naiveRates = rates(3, () => {
      for (const l of leads) sink += evaluateNaive(parsed, l.contact, l.company, NOW).totalScore;
    });
    const compiledRate = compiledRates.wall;
    const naiveRate = naiveRates.wall;
    if (sink === -1) process.stdout.write('');
    const speedup = compiledRate / naiveRate;
    return {
      figures: {
        'evaluator.evals_per_sec': Math.round(compiledRate),
        'evaluator.naive_evals_per_sec': Math.round(naiveRate),
        'evaluator.speedup_vs_naive': Math.round(speedup * 100) / 100,
        'evaluator.evals_per_cpu_sec': Math.round(compiledRates.cpu),
        'evaluator.naive_evals_per_cpu_sec': Math.round(naiveRates.cpu),
      },
      rows: [
        { measure: 'compiled evaluator, evals/s (one core)', value: Math.round(compiledRate).toLocaleString('en-US'), note: `${CONTACTS.toLocaleString('en-US')} contacts, example definition; target >= 500,000` },
        { measure: 'naive re-interpreting baseline, evals/s', value: Math.round(naiveRate).toLocaleString('en-US'), note: 'same rules walked from the parsed file per call' },
        { measure: 'speed-up vs naive', value: `${speedup.toFixed(2)}x`, note: 'same run, same contacts' },
        {
          measure: 'compiled evaluator, evals per CPU-second',
          value: Math.round(compiledRates.cpu).toLocaleString('en-US'),
          note: `${(1e9 / compiledRates.cpu).toFixed(0)} ns of CPU time per evaluation; naive ${Math.round(naiveRates.cpu).toLocaleString('en-US')}`,
        },
      ],
    };
  },
};
