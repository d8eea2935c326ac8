/**
 * Per-chat pauses of the outbox, in Redis so every worker of the fleet honours them.
 *
 * Telegram answers 429 for two reasons it does not tell apart in the answer: the bot went over
 * its overall rate (~30 msg/s), or one chat did (~1 msg/s per chat, 20 per minute per group).
 * The first must pause the whole queue; the second only that chat. `judgeRateLimit` decides
 * (see the README section "A 429 for one chat"):
 *
 * 1. the channel says so (`ChannelError.details.rateScope`, e.g. the Zalo OA's -32 is the app's);
 * 2. our own pacing is faster than the platform's overall limit → the bot's;
 * 3. several different chats of the same bot refused in a row within a second, with no send
 *    succeeding in between → the bot's (a flood refuses every chat; a chat's limit refuses one);
 * 4. otherwise → the chat's: our pacing keeps the bot under its overall rate.
 *
 * A chat's pause is a key named by a hash of the chat (no chat ids in Redis key names) holding
 * the chat's next free moment; it lives for the retry_after plus one `CHAT_SPACING_MS` per job
 * waiting. Every job to that chat looks before sending: while paused it takes the next slot and
 * waits for it, so the jobs that waited do not all send at once when the pause ends (Telegram
 * allows ~1 message per second per chat).
 */
import { createHash } from "node:crypto";
import type { RedisConnection } from "./redis.js";
import type { Address, ChannelName } from "../engine/messages.js";
import type { ChannelError, RateScope } from "../engine/errors.js";

/** The platforms' overall send rates (msg/s), where known. Pacing above it makes every 429 the bot's. */
export const PLATFORM_RATE_PER_SECOND: Partial<Record<ChannelName, number>> = { telegram: 30 };
/** Different chats refused in a row (no success in between) within `FLOOD_WINDOW_MS` that make a 429 the bot's. */
export const FLOOD_CHATS = 3;
export const FLOOD_WINDOW_MS = 1_000;
/** Between two sends to a chat that was paused. */
export const CHAT_SPACING_MS = 1_000;
/** A slot reached this much early still counts (clocks of processes and Redis differ a little). */
const SLOT_TOLERANCE_MS = 250;

/**
 * A chat's pause is a hash: `until` (the end of the latest retry_after) and `free` (the next
 * free slot after the jobs already waiting). ARGV: [1] the new 429's retry_after in ms (0: just
 * looking), [2] the spacing, [3] the slot this job was given before (0: none), [4] the
 * tolerance for a slot reached a little early (clocks). Returns the wait in ms; 0: send now.
 * Redis's clock, so every process agrees.
 */
const SLOT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local untilAt = tonumber(redis.call('HGET', KEYS[1], 'until') or '0')
local free = tonumber(redis.call('HGET', KEYS[1], 'free') or '0')
local least = tonumber(ARGV[1])
local slot = tonumber(ARGV[3])
if least > 0 then
  untilAt = math.max(untilAt, now + least)
elseif untilAt <= now and (free <= now or (slot > 0 and slot <= now + tonumber(ARGV[4]))) then
  return 0
end
local mine = math.max(free, untilAt, now)
free = mine + tonumber(ARGV[2])
redis.call('HSET', KEYS[1], 'until', tostring(untilAt), 'free', tostring(free))
redis.call('PEXPIRE', KEYS[1], free - now)
return mine - now`;

/** Records a refused chat; returns the number of different chats refused within the window. */
const REFUSED = `
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', tonumber(ARGV[1]) - tonumber(ARGV[3]))
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return redis.call('ZCARD', KEYS[1])`;

const hash = (text: string) => createHash("sha256").update(text).digest("hex").slice(0, 32);

export interface ChatPauses {
  /**
   * Milliseconds this job must wait for its slot to this paused chat (0: not paused, or the
   * slot it was given before — `slotAt`, ms since the epoch — has come: send now).
   */
  waitFor(address: Address, slotAt?: number): Promise<number>;
  /** The chat drew a 429: nobody sends to it for `ms`; returns this job's wait (≥ ms, later when others queue before it). */
  pause(address: Address, ms: number): Promise<number>;
  /** A 429 on this chat: how many different chats of its bot were refused in a row within the window. */
  refused(address: Address): Promise<number>;
  /** A send succeeded: the bot is not flooded, so the refusals in a row start again. */
  delivered(address: Address): Promise<void>;
}

export function createChatPauses(redis: RedisConnection, prefix: string, o: { windowMs?: number; spacingMs?: number; now?: () => number } = {}): ChatPauses {
  const { windowMs = FLOOD_WINDOW_MS, spacingMs = CHAT_SPACING_MS, now = Date.now } = o;
  const chatKey = (a: Address) => `${prefix}:outbox:chat-pause:${hash(`${a.channel}\n${a.account}\n${a.chatId}`)}`;
  const botKey = (a: Address) => `${prefix}:outbox:refusals:${hash(`${a.channel}\n${a.account}`)}`;
  /** When this process last recorded a refusal per bot: only then does a success need a write. */
  const lastRefusal = new Map<string, number>();
  return {
    waitFor: async (address, slotAt) =>
      Number(await redis.eval(SLOT, 1, chatKey(address), "0", String(spacingMs), String(slotAt ?? 0), String(SLOT_TOLERANCE_MS))),
    pause: async (address, ms) =>
      Number(await redis.eval(SLOT, 1, chatKey(address), String(Math.max(1, Math.ceil(ms))), String(spacingMs), "0", String(SLOT_TOLERANCE_MS))),
    refused: async (address) => {
      const key = botKey(address);
      const at = now();
      lastRefusal.set(key, at);
      return Number(await redis.eval(REFUSED, 1, key, String(at), hash(address.chatId), String(windowMs)));
    },
    delivered: async (address) => {
      const key = botKey(address);
      const at = lastRefusal.get(key);
      if (at === undefined) return;
      if (now() - at > windowMs) return void lastRefusal.delete(key);
      await redis.del(key);
    },
  };
}

/** Whose 429 this is: the chat's (pause that chat) or the bot's (pause the queue). See the file comment. */
export async function judgeRateLimit(
  err: ChannelError, address: Address, o: { ratePerSecond: number; pauses: ChatPauses; platformRates?: Partial<Record<ChannelName, number>>; floodChats?: number },
): Promise<RateScope> {
  if (err.details.rateScope) return err.details.rateScope;
  const platform = (o.platformRates ?? PLATFORM_RATE_PER_SECOND)[address.channel];
  if (platform !== undefined && o.ratePerSecond > platform) return "bot";
  return (await o.pauses.refused(address)) >= (o.floodChats ?? FLOOD_CHATS) ? "bot" : "chat";
}
