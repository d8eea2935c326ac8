/**
 * Per-chat serialization across processes: a Redis lock (SET NX PX with a token, released
 * only by its holder). Two updates from one chat are handled one after the other even when
 * they reach different web processes.
 */
import { randomUUID } from "node:crypto";
import { setTimeout as delay } from "node:timers/promises";
import type { Redis } from "ioredis";
import type { ChatLock } from "../engine/ports.js";

const RELEASE = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end`;

export function createChatLock(redis: Redis, opts: { prefix: string; ttlMs?: number; waitMs?: number }): ChatLock {
  const ttlMs = opts.ttlMs ?? 30_000;
  const waitMs = opts.waitMs ?? 20_000;
  return {
    async withLock(key, fn) {
      const name = `${opts.prefix}:chat-lock:${key}`;
      const token = randomUUID();
      const deadline = Date.now() + waitMs;
      // Waiting for another turn of the same chat; bounded so a stuck holder cannot block forever
      // (its lock expires after ttlMs anyway).
      for (let pause = 5; ; pause = Math.min(pause * 2, 100)) {
        if ((await redis.set(name, token, "PX", ttlMs, "NX")) === "OK") break;
        if (Date.now() > deadline) throw new Error(`chat lock wait timed out for ${key}`);
        await delay(pause);
      }
      try {
        return await fn();
      } finally {
        await redis.eval(RELEASE, 1, name, token);
      }
    },
  };
}
