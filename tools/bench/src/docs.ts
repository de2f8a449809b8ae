/**
 * docs/perf.md holds generated sections between markers, so `pnpm bench --write-docs` can refresh
 * the figures a run printed without touching the prose around them:
 *   <!-- bench:NAME -->
 *   ...generated...
 *   <!-- /bench:NAME -->
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';

const open = (name: string) => `<!-- bench:${name} -->`;
const close = (name: string) => `<!-- /bench:${name} -->`;

/** `text` with the section `name` replaced by `content`; throws when the markers are missing. */
export function replaceSection(text: string, name: string, content: string): string {
  const a = text.indexOf(open(name));
  const b = text.indexOf(close(name));
  if (a < 0 || b < a) throw new Error(`no ${open(name)} ... ${close(name)} section to replace`);
  return `${text.slice(0, a + open(name).length)}\n${content.trim()}\n${text.slice(b)}`;
}

/** The generated content of section `name`, or null when absent. */
export function readSection(text: string, name: string): string | null {
  const a = text.indexOf(open(name));
  const b = text.indexOf(close(name));
  if (a < 0 || b < a) return null;
  return text.slice(a + open(name).length, b).trim();
}

/** Rewrites the named sections of the file atomically (temp file + rename). */
export function writeSections(path: string, sections: Record<string, string>): void {
  let text = readFileSync(path, 'utf8');
  for (const [name, content] of Object.entries(sections)) text = replaceSection(text, name, content);
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}
