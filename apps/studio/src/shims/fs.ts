/**
 * node:fs in the browser. specs/ lists and reads its schema files when it loads; here they come
 * from the bundle. Everything else the shared packages do with files (weights, atomic writes) has
 * no meaning in a page and fails loudly.
 */
const schemaTexts = import.meta.glob('../../../../specs/*.schema.json', {
  query: '?raw',
  import: 'default',
  eager: true,
}) as Record<string, string>;

const byName = new Map(
  Object.entries(schemaTexts).map(([path, text]) => [path.slice(path.lastIndexOf('/') + 1), text]),
);

export function readdirSync(): string[] {
  return [...byName.keys()];
}

export function readFileSync(path: string): string {
  // specs/ joins its directory URL and the name; the bundler may have turned that URL into a data
  // URL, so only the name at the end counts (the longest one that fits).
  const name = [...byName.keys()]
    .filter((n) => String(path).endsWith(n))
    .sort((x, y) => y.length - x.length)[0];
  const text = name === undefined ? undefined : byName.get(name);
  if (text === undefined) throw new Error(`no file system in the browser (${path})`);
  return text;
}

function unavailable(): never {
  throw new Error('no file system in the browser');
}

export const statSync = unavailable;
export const writeFileSync = unavailable;
export const renameSync = unavailable;
export const openSync = unavailable;
export const closeSync = unavailable;
export const fsyncSync = unavailable;
export const writeSync = unavailable;
export const rmSync = unavailable;
export const mkdirSync = unavailable;
export const existsSync = (): boolean => false;
export default { readdirSync, readFileSync };
