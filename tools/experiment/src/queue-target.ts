/**
 * The `--queue` value: `local` (child processes on this machine, no server) or a Redis URL
 * `redis://[[USER]:PASSWORD@]HOST:PORT[/DB]` for the BullMQ queue. The port is required: a grid
 * spread over machines should not depend on a default that differs between installations.
 */
/** A problem with the command's own input (exit 2), as opposed to a failure on the way. */
export class InputError extends Error {}

export type QueueTarget =
  | { kind: 'local' }
  | {
      kind: 'redis';
      /** the URL without its password, for messages */
      display: string;
      host: string;
      port: number;
      db: number;
      username?: string;
      password?: string;
    };

export function parseQueueTarget(value: string): QueueTarget {
  if (value === 'local') return { kind: 'local' };
  const bad = (why: string) =>
    new InputError(`--queue: ${why}; expected local or redis://HOST:PORT[/DB] (${JSON.stringify(value)})`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw bad('not a URL');
  }
  if (url.protocol !== 'redis:') throw bad(`unsupported scheme ${url.protocol.replace(/:$/, '')}`);
  if (url.hostname === '') throw bad('no host');
  if (url.port === '') throw bad('no port');
  if (url.search !== '' || url.hash !== '') throw bad('query and fragment are not supported');
  const path = url.pathname.replace(/^\//, '');
  if (path !== '' && !/^\d+$/.test(path)) throw bad(`database must be a number (${path})`);
  const db = path === '' ? 0 : Number(path);
  if (db > 15) throw bad(`database must be 0 to 15 (${db})`);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return {
    kind: 'redis',
    display: `redis://${url.host}/${db}`,
    host,
    port: Number(url.port),
    db,
    ...(url.username === '' ? {} : { username: decodeURIComponent(url.username) }),
    ...(url.password === '' ? {} : { password: decodeURIComponent(url.password) }),
  };
}
