/** Messages between the page and its two workers (solver: HiGHS + policy; z3: the checker). */
import type { Certificate } from '@diffcontract/contract-checker';
import type { Contract } from '@diffcontract/env';

export type SolverRequest =
  | { kind: 'solve'; marketText: string }
  | {
      kind: 'learned';
      marketText: string;
      policy: { manifestText: string; bytes: ArrayBuffer; names: { manifest: string; values: string } };
      candidates: number;
      seed: number;
    };

export interface OptimumReply {
  cloudUtility: number;
  perES: number;
  upperBound: number;
  gap: number;
  iterations: number;
  contract: Contract<number>;
  /** the exact optimal contract as a contract file (model.md section 8) */
  contractText: string;
}

export interface LearnedReply {
  cloudUtility: number;
  rawUtility: number;
  changedAllocation: boolean;
  bestIndex: number;
  candidates: number;
  utilities: number[];
  raw: Contract<number>;
  contract: Contract<number>;
  contractText: string;
}

export type CheckRequest = { kind: 'check'; text: string; name: string };

export interface CheckReply {
  certificate: Certificate;
  contract: Contract<number>;
  /** the market of the checked file as its exact JSON text */
  marketText: string;
}

/** What a worker posts back: progress while working, then one result or one error. */
export type WorkerMessage =
  | { id: number; progress: { done: number; total: number; what: string } }
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: string; input: boolean };
