import { describe, it, expect, beforeAll, afterAll } from "vitest";
import type { Redis } from "ioredis";
import { connectRedis } from "../../src/jobs/redis.js";
import { createChatLock } from "../../src/jobs/chat-lock.js";
import { eventually } from "../support/eventually.js";
import { testConfig } from "../support/test-config.js";

describe("the chat lock announces who waits for it (real Redis)", () => {
  const config = testConfig("chat-lock-waiters");
  const prefix = config.redis.queuePrefix;
  let redis: Redis;
  beforeAll(async () => {
    redis = await connectRedis(config.redis.url);
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  it("a waiter is listed while it waits, not once it holds the lock, and not after it died", async () => {
    const lock = createChatLock(redis, { prefix });
    let release!: () => void;
    const holding = new Promise<void>((resolve) => (release = resolve));
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const holder = lock.withLock("chat-w", async () => { entered(); await holding; }, { waiter: "e1" });
    await inside;
    expect(await lock.waiting!("chat-w")).toEqual([]); // the holder is not a waiter
    let secondRan = false;
    const second = lock.withLock("chat-w", async () => { secondRan = true; }, { waiter: "e2" });
    await eventually(async () => (await lock.waiting!("chat-w")).includes("e2"), { message: "e2 announced" });
    expect(await lock.waiting!("chat-w")).toEqual(["e2"]);
    expect(await lock.waiting!("chat-other")).toEqual([]);
    release();
    await Promise.all([holder, second]);
    expect(secondRan).toBe(true);
    expect(await lock.waiting!("chat-w")).toEqual([]);

    // A waiter whose process died (announced once, never again) drops out by itself.
    await redis.zadd(`${prefix}:chat-waiters:chat-dead`, Date.now() + 300, "e3");
    expect(await lock.waiting!("chat-dead")).toEqual(["e3"]);
    await eventually(async () => (await lock.waiting!("chat-dead")).length === 0, { timeoutMs: 3_000, message: "dead waiter gone" });
  });
});
