/**
 * A named mutual-exclusion lock across processes: RedisConnection `SET NX PX` with a random token,
 * released only by its holder (compare-and-delete in Lua). Waiters poll with a short, growing
 * pause until `waitMs`. The TTL must outlast the work it guards (for the Zalo OA token refresh:
 * longer than the HTTP timeout), so a crashed holder frees the lock by expiry.
 */
import { randomUUID } from "node:crypto";
import { setTimeout as delay } from "node:timers/promises";
import type { RedisConnection } from "./redis.js";

const RELEASE = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end`;

export interface NamedLock {
  /** Runs `fn` while holding `name`; throws when the lock could not be taken within the wait. */
  withLock<T>(name: string, fn: () => Promise<T>): Promise<T>;
}

export function createRedisLock(redis: RedisConnection, opts: { prefix: string; ttlMs?: number; waitMs?: number }): NamedLock {
  const ttlMs = opts.ttlMs ?? 60_000;
  const waitMs = opts.waitMs ?? ttlMs + 5_000;
  return {
    async withLock(name, fn) {
      const key = `${opts.prefix}:lock:${name}`;
      const token = randomUUID();
      const deadline = Date.now() + waitMs;
      for (let pause = 5; ; pause = Math.min(pause * 2, 200)) {
        if ((await redis.set(key, token, "PX", ttlMs, "NX")) === "OK") break;
        if (Date.now() > deadline) throw new Error(`lock wait timed out for ${name}`);
        await delay(pause);
      }
      try {
        return await fn();
      } finally {
        await redis.eval(RELEASE, 1, key, token);
      }
    },
  };
}
