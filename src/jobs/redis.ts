/**
 * ioredis connections (workers need `maxRetriesPerRequest: null`, a BullMQ requirement) — one
 * server, a Sentinel-monitored master, or a Redis Cluster — and
 * the `error` listener every connection, queue and worker gets: without one, ioredis and
 * BullMQ print the error with `console.error` — unredacted, outside the app's logger.
 */
import { Cluster, Redis, type ClusterNode, type RedisOptions } from "ioredis";

/** A connection as the app uses it: one server (direct or through Sentinel) or a Redis Cluster. */
export type RedisConnection = Redis | Cluster;

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

/**
 * A Redis Cluster URL, `redis-cluster://[[user]:password@]host:port[,host:port…]` (any of the
 * masters or replicas: the client learns the rest from the cluster), as startup nodes and the
 * nodes' credentials; `undefined` for any other URL.
 */
export function clusterTarget(url: string): { nodes: ClusterNode[]; auth: Pick<RedisOptions, "username" | "password"> } | undefined {
  if (!url.startsWith("redis-cluster:")) return undefined;
  const m = /^redis-cluster:\/\/(?:([^:@/]*):([^@/]*)@)?([^/?@]+)\/?$/.exec(url);
  if (!m) throw new Error("REDIS_URL: a cluster URL reads redis-cluster://[:password@]host:port[,host:port]");
  const [, user, password, hosts] = m;
  const nodes = hosts!.split(",").map((h) => {
    const [host, port] = h.split(":");
    return { host: host!, port: Number(port ?? 6379) };
  });
  return { nodes, auth: { ...(password ? { password: decodeURIComponent(password) } : {}), ...(user ? { username: decodeURIComponent(user) } : {}) } };
}

/**
 * The key prefix of every Redis key the app writes (BullMQ's queue prefix, locks, throttles):
 * on a Redis Cluster a hash tag (`sll` → `{sll}`) unless it already holds one, so that every key
 * lives in one slot — what BullMQ's scripts need for a queue's keys (and its docs recommend for
 * all queues) and what our own multi-key commands (a chat's lock with its waiters in one
 * `MULTI`, the reconciler's pipelined `EXISTS`) need on a cluster.
 */
export function keyPrefix(url: string, prefix: string): string {
  return clusterTarget(url) && !/\{[^}]+\}/.test(prefix) ? `{${prefix}}` : prefix;
}

/** A client for `url`, not yet connected: one server, a Sentinel-monitored master, or a Redis Cluster. */
export function createRedis(url: string, forWorker = false, logger?: ErrorLogger): RedisConnection {
  const cluster = clusterTarget(url);
  if (!cluster) return serverRedis(url, forWorker, logger);
  const client = new Cluster(cluster.nodes, { lazyConnect: true, enableReadyCheck: true, redisOptions: { ...cluster.auth, maxRetriesPerRequest: forWorker ? null : 3 } });
  return logErrors(client, logger, forWorker ? "redis cluster (workers)" : "redis cluster");
}

function serverRedis(url: string, forWorker: boolean, logger: ErrorLogger | undefined): Redis {
  const options: RedisOptions = {
    maxRetriesPerRequest: forWorker ? null : 3,
    enableReadyCheck: true,
    lazyConnect: true,
  };
  const target = redisTarget(url);
  const redis = typeof target === "string" ? new Redis(target, options) : new Redis({ ...target, ...options });
  return logErrors(redis, logger, forWorker ? "redis (workers)" : "redis");
}

/**
 * Connects to whatever `url` names (`createRedis`) and pings, failing fast with a clear message
 * when Redis is down. What the app opens.
 */
export async function connectRedisClient(url: string, forWorker = false, logger?: ErrorLogger): Promise<RedisConnection> {
  return connected(createRedis(url, forWorker, logger), url);
}

/** As `connectRedisClient`, for one server or a Sentinel-monitored master only (a cluster URL is refused). */
export async function connectRedis(url: string, forWorker = false, logger?: ErrorLogger): Promise<Redis> {
  if (clusterTarget(url)) throw new Error("connectRedis opens one server; a redis-cluster:// URL needs connectRedisClient");
  return connected(serverRedis(url, forWorker, logger), url);
}

async function connected<C extends RedisConnection>(client: C, url: string): Promise<C> {
  try {
    await client.connect();
    await client.ping();
    return client;
  } catch (cause) {
    client.disconnect();
    throw new Error(`Redis is not reachable at ${redactUrl(url)}`, { cause });
  }
}

/** Hides a password in a connection URL for messages and logs. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]*):([^@/]*)@/, "//$1:***@");
}
