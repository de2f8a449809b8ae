/**
 * Milestones of a page load as performance marks, in the page and in the workers; chromium's trace
 * collects them from every thread (scripts/timing.mjs --trace prints the timeline).
 */
export function mark(name: string): void {
  performance.mark(`studio:${name}`);
}
