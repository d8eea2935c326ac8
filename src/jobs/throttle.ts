/**
 * A fixed-window failure counter in Redis (the engine's `Throttle` port), shared by all
 * processes. Each call is one Lua script, so counting and setting the window's expiry are one
 * atomic step: no crash between `INCR` and `EXPIRE` can leave a counter that never expires.
 * A counter found without an expiry (written by an older version that did crash there) gets
 * the window's expiry on the next look, so it can never block a chat for good.
 */
import type { RedisConnection } from "./redis.js";
import type { Throttle } from "../engine/ports.js";

/** INCR, then the window's expiry if the key has none; returns [count, ttl seconds]. */
const FAIL = `
local n = redis.call('INCR', KEYS[1])
if redis.call('TTL', KEYS[1]) < 0 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return {n, redis.call('TTL', KEYS[1])}`;

/** GET, repairing a key without expiry (TTL -1); returns [count, ttl seconds]. */
const PEEK = `
local n = tonumber(redis.call('GET', KEYS[1]) or '0')
if n > 0 and redis.call('TTL', KEYS[1]) == -1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return {n, redis.call('TTL', KEYS[1])}`;

export function createThrottle(redis: RedisConnection, opts: { limit: number; windowSeconds: number; prefix: string }): Throttle {
  const k = (key: string) => `${opts.prefix}:throttle:${key}`;
  const run = async (script: string, key: string) => {
    const [n, ttl] = (await redis.eval(script, 1, k(key), String(opts.windowSeconds))) as [number, number];
    const blocked = n >= opts.limit;
    return { blocked, retryAfterSeconds: blocked ? Math.max(ttl, 1) : 0 };
  };
  return {
    isBlocked: (key) => run(PEEK, key),
    fail: (key) => run(FAIL, key),
  };
}
