/**
 * A 429 about one chat pauses only that chat; a 429 about the bot still pauses the whole queue
 * (src/jobs/chat-pause.ts). Real Redis, BullMQ and FerretDB, against the fake Bot API, whose
 * injected 429s hold like Telegram's: a send before the retry_after runs out is refused again
 * (counted in `stats().rateLimited`), so "no such refusal" proves nobody sent early.
 */
import { describe, it, expect, beforeEach, afterEach } from "vitest";
import { openOutboxServices, type OutboxServices } from "../support/outbox-services.js";
import type { Redis } from "ioredis";
import type { Worker } from "bullmq";
import { testConfig } from "../support/test-config.js";
import { eventually } from "../support/eventually.js";
import { FakeTelegram } from "../support/fake-telegram.js";
import { countByStatus, deliveryState } from "../support/deliveries.js";
import { type Database } from "../../src/store/mongo.js";
import { createDeliveryRepo } from "../../src/store/deliveries.js";
import { createDirectory } from "../../src/store/directory.js";
import { type Queues } from "../../src/jobs/runtime.js";
import { createOutbox, startOutboxWorker } from "../../src/jobs/outbox.js";
import { FLOOD_CHATS } from "../../src/jobs/chat-pause.js";
import { TelegramChannel } from "../../src/channels/telegram/telegram-channel.js";
import { Translator } from "../../src/i18n/fluent.js";
import type { RateScope } from "../../src/engine/errors.js";
import { say } from "../../src/engine/say.js";

describe("outbox: a 429 for one chat pauses only that chat", () => {
  const config = testConfig("chat-429");
  const quiet = { info: () => {}, warn: () => {}, error: () => {} };
  let services: OutboxServices;
  let db: Database, workerRedis: Redis, queues: Queues, telegram: FakeTelegram, worker: Worker | undefined;
  let account: string;
  let judged: RateScope[];

  beforeEach(async () => {
    services = await openOutboxServices(config);
    ({ db, workerRedis, queues } = services);
    telegram = await FakeTelegram.start();
    account = telegram.token.split(":")[0]!;
    judged = [];
  });
  afterEach(async () => {
    await worker?.close();
    worker = undefined;
    await services.stop();
    await telegram.close();
  });

  const start = (o: { ratePerSecond: number; concurrency: number }) => {
    const directory = createDirectory(db.models);
    const channel = new TelegramChannel({ token: telegram.token, apiRoot: telegram.apiRoot, logger: quiet });
    worker = startOutboxWorker({
      connection: workerRedis, prefix: config.redis.queuePrefix, repo: createDeliveryRepo(db.models), senders: { telegram: channel.bulk },
      translator: new Translator(), ...o, onUnreachable: (d) => directory.markUnreachable(d.recipient), logger: quiet,
      onRateLimited: (scope) => judged.push(scope),
    });
  };
  /** One delivery per key; the key `<chat>` or `<chat>-<n>` names the chat. */
  const enqueue = (keys: string[]) => createOutbox(queues.outbox, createDeliveryRepo(db.models)).enqueueGroup("g", keys.map((key) => {
    const chatId = key.split("-")[0]!;
    return { key, recipient: { channel: "telegram" as const, account, userId: chatId, chatId }, messages: [say("notice-manage-done")] };
  }));
  const callsTo = (id: number) => telegram.calls("sendMessage").filter((c) => String(c.params.chat_id) === String(id));

  it("the others are delivered while the throttled chat waits; it gets each message once, after its retry_after, its jobs one by one", async () => {
    const throttled = 9_500_001;
    const others = Array.from({ length: 11 }, (_, i) => 9_500_010 + i);
    for (const id of [throttled, ...others]) telegram.knownChat(id);
    // Repeated: the first try and the first retry are both refused, for 2 s each.
    telegram.injectFault({ method: "sendMessage", error_code: 429, retry_after: 2, chatId: throttled, count: 2 });
    // The throttled chat first; a second message to it last, which must wait with it.
    await enqueue([`${throttled}-1`, ...others.map(String), `${throttled}-2`]);
    start({ ratePerSecond: 25, concurrency: 2 });
    await eventually(async () => (await countByStatus(db.models, "sent", "g")) === others.length + 2, { timeoutMs: 30_000, intervalMs: 100, message: "all sent" });

    // Never a send to the chat while its retry_after ran (the fake would have refused it).
    expect(telegram.stats()).toMatchObject({ rateLimited: 0, faultsInjected: 2, tooManyRequests: 2 });
    expect(judged).toEqual(["chat", "chat"]);
    // The order of the calls: every other chat got its message before the throttled chat's first retry.
    const calls = telegram.calls("sendMessage");
    const toThrottled = callsTo(throttled);
    expect(toThrottled.map((c) => c.status)).toEqual([429, 429, 200, 200]);
    const lastOther = Math.max(...calls.filter((c) => others.includes(Number(c.params.chat_id))).map((c) => c.index));
    expect(lastOther).toBeLessThan(toThrottled[1]!.index);
    for (const id of others) expect(telegram.sent({ chatId: id })).toHaveLength(1);
    // Exactly once each, and not flagged: the refused tries were cleared.
    expect(telegram.sent({ chatId: throttled })).toHaveLength(2);
    expect(await deliveryState(db.models, `${throttled}-1`)).toMatchObject({ status: "sent", tries: 3, possibleDuplicate: false });
    expect(await deliveryState(db.models, `${throttled}-2`)).toMatchObject({ status: "sent", tries: 1, possibleDuplicate: false });
    // Waiting for a chat uses no attempt: the one successful attempt only.
    const jobs = await queues.outbox.getJobs(["completed"]);
    expect(jobs.filter((j) => j.data.deliveryId && j.attemptsMade !== 1)).toEqual([]);
  }, 60_000);

  it("a 429 for the bot (every chat refused) still pauses the whole queue, after at most a few chats", async () => {
    const ids = Array.from({ length: 8 }, (_, i) => 9_600_001 + i);
    for (const id of ids) telegram.knownChat(id);
    telegram.injectFault({ method: "sendMessage", error_code: 429, retry_after: 2 }); // no chat: the bot's flood limit
    await enqueue(ids.map(String));
    start({ ratePerSecond: 25, concurrency: 1 });
    await eventually(async () => (await countByStatus(db.models, "sent", "g")) === ids.length, { timeoutMs: 30_000, intervalMs: 100, message: "all sent" });

    // The first refusals look like chats' 429s; the FLOOD_CHATS-th different chat refused in a row
    // is the bot's, and from then on nothing was tried until the retry_after ran out.
    expect(judged).toEqual([...Array<RateScope>(FLOOD_CHATS - 1).fill("chat"), "bot"]);
    expect(telegram.stats().tooManyRequests).toBe(FLOOD_CHATS);
    for (const id of ids) expect(telegram.sent({ chatId: id })).toHaveLength(1);
    const refused = telegram.calls("sendMessage").filter((c) => c.status === 429);
    const firstAfter = telegram.sent().filter((r) => r.at >= refused[0]!.at);
    expect(Math.min(...firstAfter.map((r) => r.at)) - refused[0]!.at).toBeGreaterThanOrEqual(1_950);
  }, 60_000);

  it("pacing faster than Telegram's overall limit makes any 429 the bot's: the whole queue waits", async () => {
    const ids = Array.from({ length: 6 }, (_, i) => 9_700_001 + i);
    for (const id of ids) telegram.knownChat(id);
    telegram.injectFault({ method: "sendMessage", error_code: 429, retry_after: 1, chatId: ids[0]!, hold: false });
    await enqueue(ids.map(String));
    start({ ratePerSecond: 100, concurrency: 1 });
    await eventually(async () => (await countByStatus(db.models, "sent", "g")) === ids.length, { timeoutMs: 30_000, intervalMs: 100, message: "all sent" });

    expect(judged).toEqual(["bot"]);
    const fault = telegram.faults()[0]!;
    // Even the other chats (not held by the fake) waited: no send during the retry_after.
    const after = telegram.sent().filter((r) => r.at >= fault.at);
    expect(after).toHaveLength(ids.length);
    expect(Math.min(...after.map((r) => r.at)) - fault.at).toBeGreaterThanOrEqual(950);
  }, 60_000);
});
