/** ioredis connections: workers need `maxRetriesPerRequest: null` (BullMQ requirement). */
import { Redis } from "ioredis";

export function createRedis(url: string, forWorker = false): Redis {
  return new Redis(url, {
    maxRetriesPerRequest: forWorker ? null : 3,
    enableReadyCheck: true,
    lazyConnect: true,
  });
}

/** Connects and pings, failing fast with a clear message when Redis is down. */
export async function connectRedis(url: string, forWorker = false): Promise<Redis> {
  const redis = createRedis(url, forWorker);
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
