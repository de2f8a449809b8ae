/** node:module in the browser: the checker only asks for z3-solver's version. */
import z3Package from 'z3-solver/package.json' with { type: 'json' };

export function createRequire() {
  return (id: string) => {
    if (id === 'z3-solver/package.json') return z3Package;
    throw new Error(`require is not available in the browser (${id})`);
  };
}
export default { createRequire };
