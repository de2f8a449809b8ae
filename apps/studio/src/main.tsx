/**
 * The page's first script, kept small: it starts both workers (HiGHS, and z3's 35 MB wasm
 * compiling) before the page's UI code (Preact, Chart.js, the editor) has even loaded.
 */
import './styles.css';
import { mark } from './marks.js';
import { Workers } from './workers.js';

mark('boot');
const workers = new Workers();
mark('workers created');
const { mountApp } = await import('./mount.js');
mountApp(workers, document.getElementById('app')!);
mark('app rendered');
