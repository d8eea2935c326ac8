/**
 * Per-chat serialization across processes: a Redis lock (SET NX PX with a token, released
 * only by its holder). Two updates from one chat are handled one after the other even when
 * they reach different web processes.
 *
 * The lock is renewed while it is held (every third of its TTL, only by the token that holds
 * it), so work that outlasts the TTL — a slow database, a long fan-out — is never joined by a
 * second holder; the TTL only bounds how long a crashed holder blocks the chat. A failed
 * renewal or release is logged, not thrown: the work it guarded has already happened, and the
 * lock expires by itself.
 */
import { randomUUID } from "node:crypto";
import { setTimeout as delay } from "node:timers/promises";
import type { RedisConnection } from "./redis.js";
import type { ChatLock } from "../engine/ports.js";

const RELEASE = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end`;
const RENEW = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("pexpire", KEYS[1], ARGV[2]) else return 0 end`;

export interface ChatLockOptions {
  prefix: string;
  /** How long a crashed holder blocks the chat (default 30 s); a live holder renews it. */
  ttlMs?: number;
  /** How long to wait for another holder before giving up (default 20 s). */
  waitMs?: number;
  logger?: { warn(obj: object, msg: string): void };
}

export function createChatLock(redis: RedisConnection, opts: ChatLockOptions): ChatLock {
  const ttlMs = opts.ttlMs ?? 30_000;
  const waitMs = opts.waitMs ?? 20_000;
  return {
    async withLock(key, fn, options = {}) {
      const name = `${opts.prefix}:chat-lock:${key}`;
      const waiters = `${opts.prefix}:chat-waiters:${key}`;
      const token = randomUUID();
      const deadline = Date.now() + waitMs;
      // Waiting for another turn of the same chat; bounded so a stuck holder cannot block forever
      // (its lock expires after ttlMs anyway). A named waiter is announced with each try, in the
      // same round trip, so a holder can see it (and a dead waiter drops out within WAITER_MS).
      for (let pause = 5; ; pause = Math.min(pause * 2, 100)) {
        if (options.waiter) {
          const results = await redis.multi().zadd(waiters, Date.now() + WAITER_MS, options.waiter).pexpire(waiters, ttlMs).set(name, token, "PX", ttlMs, "NX").exec();
          if (results?.[2]?.[1] === "OK") {
            await redis.zrem(waiters, options.waiter);
            break;
          }
        } else if ((await redis.set(name, token, "PX", ttlMs, "NX")) === "OK") break;
        if (Date.now() > deadline) throw new Error(`chat lock wait timed out for ${key}`);
        await delay(pause);
      }
      const renewal = keepAlive(redis, name, token, ttlMs, (err) => opts.logger?.warn({ err, lock: key }, "chat lock renewal failed"));
      try {
        return await fn();
      } finally {
        renewal.stop();
        await redis.eval(RELEASE, 1, name, token).catch((err: unknown) => opts.logger?.warn({ err, lock: key }, "chat lock release failed; it expires by itself"));
      }
    },
    async waiting(key) {
      return redis.zrangebyscore(`${opts.prefix}:chat-waiters:${key}`, Date.now(), "+inf");
    },
  };
}

/** A waiter announced this long ago and not since is taken for dead (it re-announces every ≤ 100 ms). */
const WAITER_MS = 2_000;

/** Renews the lock every third of its TTL until stopped. */
function keepAlive(redis: RedisConnection, name: string, token: string, ttlMs: number, onError: (err: unknown) => void): { stop(): void } {
  const timer = setInterval(() => {
    redis.eval(RENEW, 1, name, token, String(ttlMs)).then((renewed) => {
      if (renewed !== 1) onError(new Error("the lock was lost before its holder finished"));
    }, onError);
  }, Math.max(10, Math.floor(ttlMs / 3)));
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
