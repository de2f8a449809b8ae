/** The UI, loaded after the workers have started (src/main.tsx). */
import { render } from 'preact';
import { App } from './app.js';
import type { Workers } from './workers.js';

export function mountApp(workers: Workers, root: HTMLElement): void {
  render(<App workers={workers} />, root);
}
