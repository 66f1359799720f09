/** One line of `uld doctor`, shared by the doctor (doctor.ts) and the checks it runs from other files (migration-window.ts). */
export type CheckOutcome = 'pass' | 'warn' | 'fail' | 'skip';

export interface CheckLine {
  check: string;
  outcome: CheckOutcome;
  detail: string;
  /** What to do, for warn and fail. */
  fix?: string;
  /** The variable whose absence failed the check: the CLI exits 2 for these, as every command does. */
  setting?: string;
}
