/**
 * ioredis connections (workers need `maxRetriesPerRequest: null`, a BullMQ requirement), and
 * the `error` listener every connection, queue and worker gets: without one, ioredis and
 * BullMQ print the error with `console.error` — unredacted, outside the app's logger.
 */
import { Redis } from "ioredis";

/** What `logErrors` needs from the app's logger (pino fits; its `err` serializer redacts). */
export interface ErrorLogger {
  error(obj: object, msg: string): void;
}

/** Anything that emits `error` events: an ioredis connection, a BullMQ Queue, Worker or QueueEvents. */
export interface ErrorEmitter {
  on(event: "error", listener: (err: Error) => void): unknown;
  listenerCount(event: string): number;
}

/**
 * Sends an emitter's `error` events to the logger (once per emitter, however often it is called).
 *
 * @example
 * logErrors(new Queue(name, { connection }), logger, `queue ${name}`)
 */
export function logErrors<E extends ErrorEmitter>(emitter: E, logger: ErrorLogger | undefined, source: string): E {
  if (!logger || logged.has(emitter)) return emitter;
  logged.add(emitter);
  emitter.on("error", (err) => logger.error({ err, source }, "redis or queue error"));
  return emitter;
}
const logged = new WeakSet<object>();

export function createRedis(url: string, forWorker = false, logger?: ErrorLogger): Redis {
  const redis = new Redis(url, {
    maxRetriesPerRequest: forWorker ? null : 3,
    enableReadyCheck: true,
    lazyConnect: true,
  });
  return logErrors(redis, logger, forWorker ? "redis (workers)" : "redis");
}

/** Connects and pings, failing fast with a clear message when Redis is down. */
export async function connectRedis(url: string, forWorker = false, logger?: ErrorLogger): Promise<Redis> {
  const redis = createRedis(url, forWorker, logger);
  try {
    await redis.connect();
    await redis.ping();
    return redis;
  } catch (cause) {
    redis.disconnect();
    throw new Error(`Redis is not reachable at ${redactUrl(url)}`, { cause });
  }
}

/** Hides a password in a connection URL for messages and logs. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]*):([^@/]*)@/, "//$1:***@");
}
