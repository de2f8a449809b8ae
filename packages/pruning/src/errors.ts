/**
 * Bad configuration or malformed input. The message is one line, `<path>: <problem> (<value>)`, the
 * same shape as the env package's InputError, so the CLI can print it as is.
 */
export class PruningError extends Error {
  readonly path: string;
  readonly problem: string;
  readonly value: unknown;
  constructor(path: string, problem: string, value?: unknown) {
    super(`${path}: ${problem}${value === undefined ? '' : ` (${render(value)})`}`);
    this.name = 'PruningError';
    this.path = path;
    this.problem = problem;
    this.value = value;
  }
}

function render(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value !== 'object' || value === null) return String(value);
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
