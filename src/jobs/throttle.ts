/** A fixed-window failure counter in Redis (the engine's `Throttle` port), shared by all processes. */
import type { Redis } from "ioredis";
import type { Throttle } from "../engine/ports.js";

export function createThrottle(redis: Redis, opts: { limit: number; windowSeconds: number; prefix: string }): Throttle {
  const k = (key: string) => `${opts.prefix}:throttle:${key}`;
  const state = async (key: string) => {
    const [count, ttl] = await Promise.all([redis.get(k(key)), redis.ttl(k(key))]);
    const n = Number(count ?? 0);
    return { blocked: n >= opts.limit, retryAfterSeconds: n >= opts.limit ? Math.max(ttl, 1) : 0 };
  };
  return {
    isBlocked: state,
    async fail(key) {
      const n = await redis.incr(k(key));
      if (n === 1) await redis.expire(k(key), opts.windowSeconds);
      return { blocked: n >= opts.limit, retryAfterSeconds: n >= opts.limit ? Math.max(await redis.ttl(k(key)), 1) : 0 };
    },
  };
}
