/**
 * ioredis connections (workers need `maxRetriesPerRequest: null`, a BullMQ requirement), and
 * the `error` listener every connection, queue and worker gets: without one, ioredis and
 * BullMQ print the error with `console.error` — unredacted, outside the app's logger.
 */
import { Redis, type RedisOptions } from "ioredis";

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

/**
 * `REDIS_URL` as ioredis options: `redis://` / `rediss://` as ioredis reads them, or Redis
 * Sentinel as `redis-sentinel://[:password@]host:port[,host:port…]/<master name>[?db=N]` — the
 * app then asks the sentinels for the current master and follows a failover.
 */
export function redisTarget(url: string): string | RedisOptions {
  const m = /^redis-sentinel:\/\/(?:([^:@/]*):([^@/]*)@)?([^/?]+)\/([^/?]+)(?:\?(.*))?$/.exec(url);
  if (!m) {
    if (url.startsWith("redis-sentinel:")) throw new Error("REDIS_URL: a sentinel URL reads redis-sentinel://[:password@]host:port[,host:port]/<master name>");
    return url;
  }
  const [, user, password, hosts, name, query] = m;
  const sentinels = hosts!.split(",").map((h) => {
    const [host, port] = h.split(":");
    return { host: host!, port: Number(port ?? 26379) };
  });
  const db = Number(new URLSearchParams(query ?? "").get("db") ?? 0);
  return { sentinels, name: decodeURIComponent(name!), db, ...(password ? { password: decodeURIComponent(password) } : {}), ...(user ? { username: decodeURIComponent(user) } : {}) };
}

export function createRedis(url: string, forWorker = false, logger?: ErrorLogger): Redis {
  const options: RedisOptions = {
    maxRetriesPerRequest: forWorker ? null : 3,
    enableReadyCheck: true,
    lazyConnect: true,
  };
  const target = redisTarget(url);
  const redis = typeof target === "string" ? new Redis(target, options) : new Redis({ ...target, ...options });
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
