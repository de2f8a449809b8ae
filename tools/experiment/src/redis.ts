/**
 * Connections to the Redis behind `--queue redis://...`. An unreachable server is one clear line
 * within a few seconds (a probe connection that does not retry); once it answered, connections
 * reconnect through short outages, as a grid that runs for hours needs.
 */
import type { RedisOptions as BullRedisOptions } from 'bullmq';
import { Redis } from 'ioredis';
import { InputError, type QueueTarget } from './queue-target.js';

export type RedisTarget = Extract<QueueTarget, { kind: 'redis' }>;

/** Connection options for BullMQ's queues and workers (which require maxRetriesPerRequest null). */
export function bullConnection(t: RedisTarget): BullRedisOptions {
  return {
    host: t.host,
    port: t.port,
    db: t.db,
    ...(t.username === undefined ? {} : { username: t.username }),
    ...(t.password === undefined ? {} : { password: t.password }),
    maxRetriesPerRequest: null,
    retryStrategy: (times: number) => Math.min(200 * times, 2000),
  };
}

/** A client after a successful PING; throws `--queue: cannot reach Redis at URL (reason)` otherwise. */
export async function connectRedis(t: RedisTarget, timeoutMs = 3000): Promise<Redis> {
  const client = new Redis({
    ...bullConnection(t),
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  // The socket's error (ECONNREFUSED, ENOTFOUND) says more than the rejection ("Connection is closed").
  let socketError: string | null = null;
  client.on('error', (e: Error) => {
    socketError ??= e.message;
  });
  try {
    await client.connect();
    await client.ping();
  } catch (e) {
    client.disconnect();
    const reason = socketError ?? ((e as Error).message || String(e));
    throw new InputError(`--queue: cannot reach Redis at ${t.display} (${reason})`);
  }
  // From now on ride out outages as BullMQ's connections do (ioredis reads these at reconnect time).
  const lasting = bullConnection(t);
  client.options.retryStrategy = lasting.retryStrategy;
  client.options.maxRetriesPerRequest = null;
  client.options.enableOfflineQueue = true;
  return client;
}
