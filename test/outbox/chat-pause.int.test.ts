/**
 * Whose 429 it is (`judgeRateLimit`) and the per-chat pauses themselves, on real Redis.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import type { Redis } from "ioredis";
import { testConfig } from "../support/test-config.js";
import { eventually } from "../support/eventually.js";
import { connectRedis } from "../../src/jobs/redis.js";
import { createChatPauses, judgeRateLimit, FLOOD_CHATS } from "../../src/jobs/chat-pause.js";
import { ChannelError } from "../../src/engine/errors.js";
import { toChannelError as oaError, ZaloOaError } from "../../src/channels/zalo-oa/errors.js";
import type { Address, ChannelName } from "../../src/engine/messages.js";

const config = testConfig("chat-pause");
const at = (chatId: string, channel: ChannelName = "telegram"): Address => ({ channel, account: "123456", userId: chatId, chatId });
const tooMany = (channel = "telegram") => new ChannelError("Too Many Requests: retry after 1", "rate-limited", { channel, retryAfterMs: 1_000 });

describe("per-chat pauses and whose 429 it is (real Redis)", () => {
  let redis: Redis;
  let n = 0;
  const fresh = () => createChatPauses(redis, `${config.redis.queuePrefix}-${++n}`, { spacingMs: 1_000 });
  beforeAll(async () => { redis = await connectRedis(config.redis.url); });
  afterAll(async () => {
    const keys = await redis.keys(`${config.redis.queuePrefix}*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  });

  it("a chat paused for retry_after gives later jobs successive slots; other chats are not paused", async () => {
    const pauses = fresh();
    expect(await pauses.waitFor(at("1"))).toBe(0);
    const own = await pauses.pause(at("1"), 5_000);
    expect(own).toBeGreaterThan(4_900);
    const second = await pauses.waitFor(at("1"));
    const third = await pauses.waitFor(at("1"));
    expect(second - own).toBeGreaterThanOrEqual(990);
    expect(third - second).toBeGreaterThanOrEqual(990);
    expect(await pauses.waitFor(at("2"))).toBe(0);
    // A job that was given a slot that has come goes; one whose slot is still ahead waits.
    expect(await pauses.waitFor(at("1"), Date.now() - 10)).toBeGreaterThan(0); // the retry_after still runs
    const key = (await redis.keys(`${config.redis.queuePrefix}-${n}:outbox:chat-pause:*`))[0]!;
    expect(key).toMatch(/:outbox:chat-pause:[0-9a-f]{32}$/); // the chat id is hashed
    const ttl = await redis.pttl(key);
    expect(ttl).toBeGreaterThan(own + 3_000 - 100); // until the last slot handed out
  });

  it("a job holding a slot that has come sends, once the retry_after is over", async () => {
    const pauses = fresh();
    await pauses.pause(at("1"), 1); // a retry_after of 1 ms: over at once, its slot 1 s on
    await eventually(async () => (await pauses.waitFor(at("1"), Date.now())) === 0, { message: "the slot came" });
    expect(await pauses.waitFor(at("1"))).toBeGreaterThan(0); // a newcomer without a slot queues after it
  });

  it("judges: the channel's word first; pacing above the platform's limit; a flood of different chats; else the chat", async () => {
    const pauses = fresh();
    const oa = oaError(new ZaloOaError("message/cs", -32, "rate limit")) as ChannelError;
    expect(oa.details.rateScope).toBe("bot");
    expect(await judgeRateLimit(oa, at("1", "zalo-oa"), { ratePerSecond: 1, pauses })).toBe("bot");
    expect(await judgeRateLimit(tooMany(), at("1"), { ratePerSecond: 31, pauses })).toBe("bot");
    // Zalo Bot: no known overall rate, so pacing says nothing; the flood rule still applies.
    expect(await judgeRateLimit(tooMany("zalo-bot"), at("1", "zalo-bot"), { ratePerSecond: 1_000, pauses })).toBe("chat");

    const judge = (chat: string) => judgeRateLimit(tooMany(), at(chat), { ratePerSecond: 30, pauses });
    const scopes = [];
    for (let i = 1; i <= FLOOD_CHATS; i++) scopes.push(await judge(String(i)));
    expect(scopes).toEqual([...Array(FLOOD_CHATS - 1).fill("chat"), "bot"]);
    // The same chat refused again is not a flood; a success in between starts the count again.
    const other = fresh();
    const judgeOther = (chat: string) => judgeRateLimit(tooMany(), at(chat), { ratePerSecond: 30, pauses: other });
    expect([await judgeOther("1"), await judgeOther("1"), await judgeOther("2")]).toEqual(["chat", "chat", "chat"]);
    await other.delivered(at("3"));
    expect([await judgeOther("4"), await judgeOther("5")]).toEqual(["chat", "chat"]);
  });
});
