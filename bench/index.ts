import type { Bench } from './lib';
import { evaluatorBench } from './evaluator';

/** Every benchmark `npm run bench` runs, in order. Add one line per benchmark. */
export const BENCHES: Bench[] = [evaluatorBench];
