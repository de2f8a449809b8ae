/** node:url in the browser: a file URL stays a URL string (the fs shim only looks at the name). */
export function fileURLToPath(url: string | URL): string {
  return String(url);
}
export function pathToFileURL(path: string): URL {
  return new URL(path, 'file:///');
}
export default { fileURLToPath, pathToFileURL };
