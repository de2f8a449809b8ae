/** Process exit codes of diffcontract-verify (issues 2 and 4). */
export const EXIT = {
  /** success; for check: every contract certified */
  ok: 0,
  /** check: some contract violates a constraint */
  violated: 1,
  /** unreadable file, bad JSON, schema or model violation, bad command line */
  invalidInput: 2,
  /** check: some result unknown (solver timeout) and none violated */
  unknown: 3,
  /** a bug or an environment failure: anything that is not the user's input */
  internal: 4,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
