/**
 * The code a set of runs was trained with: the git commit and any uncommitted changes under the
 * source folders (so results can say whether they come from committed code).
 */
import { execFileSync } from 'node:child_process';

export interface CodeVersion {
  commit: string | null;
  /** `git status --porcelain` lines under apps/, packages/, specs/, tools/ */
  uncommitted: string[];
  recordedAt: string;
}

export function codeVersion(root: string): CodeVersion {
  const git = (args: string[]) =>
    execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  let commit: string | null = null;
  let uncommitted: string[] = [];
  try {
    commit = git(['rev-parse', 'HEAD']).trim();
    uncommitted = git(['status', '--porcelain', '--', 'apps', 'packages', 'specs', 'tools'])
      .split('\n')
      .filter((l) => l.trim() !== '');
  } catch {
    // not a git checkout (a tarball): nothing to record
  }
  return { commit, uncommitted, recordedAt: new Date().toISOString() };
}
