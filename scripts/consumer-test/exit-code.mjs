// After the wasm backend starts, an uncaught error in user code must exit 1 (not tfjs-wasm's 7).
import { setBackend } from '@diffcontract/sac';

await setBackend('wasm');
throw new Error('user error after setBackend');
