/**
 * Config keys that were renamed (or whose type changed) when the `sac` and `pruning` sections became
 * the packages' own settings and widths became lists. A file (or an older run's config.json read by
 * `--resume`) that still uses one is refused with the old key and its new form rather than mapped
 * silently: the resolved config a run records must say what ran, under the names the packages
 * document.
 */
import { renderProblem } from '@diffcontract/specs';

export interface RenamedKey {
  /** dotted path of the removed key */
  from: string;
  /** dotted path that replaces it */
  to: string;
  /** what else changed besides the name, when something did */
  note?: string;
}

/** Leaves first: a removed section is only reported when none of its old keys is left in it. */
export const RENAMED_KEYS: readonly RenamedKey[] = [
  { from: 'actor.lr', to: 'sac.actorLr' },
  { from: 'critic.lr', to: 'sac.criticLr' },
  { from: 'critic.hidden', to: 'sac.criticHidden', note: 'a list of layer widths: [h, h] for h' },
  { from: 'critic', to: 'sac.criticHidden and sac.criticLr' },
  { from: 'sac.replaySize', to: 'sac.bufferCapacity' },
  { from: 'pruning.ratio', to: 'pruning.rho' },
  { from: 'pruning.every', to: 'pruning.pruneEvery' },
];

/** Keys that kept their name but not their type. */
export const RETYPED_KEYS: readonly { key: string; old: (value: unknown) => boolean; problem: string }[] = [
  {
    key: 'actor.hidden',
    old: (v) => typeof v === 'number',
    problem: 'now a list of layer widths, as the actor kinds take it: [h, h] for h',
  },
];

function lookup(data: unknown, path: string): { found: boolean; value?: unknown } {
  let node = data;
  for (const key of path.split('.')) {
    if (typeof node !== 'object' || node === null || Array.isArray(node) || !Object.hasOwn(node, key)) {
      return { found: false };
    }
    node = (node as Record<string, unknown>)[key];
  }
  return { found: true, value: node };
}

/**
 * The one-line problem for the first renamed or retyped key `data` still uses in its old form
 * (`actor.lr: renamed to sac.actorLr (0.001)`), if any.
 */
export function findRenamedKey(data: unknown): string | undefined {
  for (const r of RENAMED_KEYS) {
    const hit = lookup(data, r.from);
    if (!hit.found) continue;
    const problem = `renamed to ${r.to}${r.note ? ` (${r.note})` : ''}`;
    return renderProblem(r.from, problem, true, hit.value);
  }
  for (const r of RETYPED_KEYS) {
    const hit = lookup(data, r.key);
    if (hit.found && r.old(hit.value)) return renderProblem(r.key, r.problem, true, hit.value);
  }
  return undefined;
}
