/** node:path in the browser: only reached by file-writing code the page never calls. */
const last = (p: string) => p.slice(p.lastIndexOf('/') + 1);
export const basename = last;
export const dirname = (p: string) => p.slice(0, Math.max(p.lastIndexOf('/'), 0)) || '.';
export const join = (...parts: string[]) => parts.join('/').replace(/\/+/g, '/');
export const resolve = join;
export const isAbsolute = (p: string) => p.startsWith('/');
export default { basename, dirname, join, resolve, isAbsolute };
