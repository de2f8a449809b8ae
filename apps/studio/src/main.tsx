/**
 * The page's first script, kept small: it starts the workers (HiGHS, and z3's 35 MB wasm
 * compiling) and asks for the opening market's optimum before the page's UI code (Preact,
 * Chart.js, the editor, env's reader) has even loaded.
 */
import './styles.css';
import { mark } from './marks.js';
import { openingMarketText } from './opening-market.js';
import { Workers } from './workers.js';

mark('boot');
const workers = new Workers();
workers.solveEarly(openingMarketText(window.location.search));
mark('workers created');
const { mountApp } = await import('./mount.js');
mountApp(workers, document.getElementById('app')!);
mark('app rendered');
