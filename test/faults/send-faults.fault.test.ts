/**
 * Fault (e): what Telegram's side can do to a send — a 429 storm with retry_after, 5xx, a
 * blocked recipient (403), a request that times out and one whose answer is lost after Telegram
 * carried it out — in one notice, and to an interactive reply. No recipient is missed, a 403
 * is not retried, and a second copy exists only where it is flagged as a possible duplicate.
 * (Single 429 / 403 / 5xx / network cases: test/notices/outbox-delivery.int.test.ts.)
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { openOutboxServices, type OutboxServices } from "../support/outbox-services.js";
import type { Redis } from "ioredis";
import type { Worker } from "bullmq";
import { testConfig } from "../support/test-config.js";
import { startTestApp } from "../support/app-harness.js";
import { eventually } from "../support/eventually.js";
import { FakeTelegram } from "../support/fake-telegram.js";
import { deliveryStates } from "../support/deliveries.js";
import { type Database } from "../../src/store/mongo.js";
import { createDeliveryRepo } from "../../src/store/deliveries.js";
import { createDirectory } from "../../src/store/directory.js";
import { connectRedis } from "../../src/jobs/redis.js";
import { type Queues } from "../../src/jobs/runtime.js";
import { createOutbox, startOutboxWorker } from "../../src/jobs/outbox.js";
import { TelegramChannel } from "../../src/channels/telegram/telegram-channel.js";
import { telegramEventId } from "../../src/channels/telegram/parse-update.js";
import { Translator } from "../../src/i18n/fluent.js";
import { say } from "../../src/engine/say.js";

const quiet = { info: () => {}, warn: () => {}, error: () => {} };

describe("fault (e): a notice through 429 storms, 5xx, timeouts, 403 and lost answers", () => {
  const config = testConfig("send-faults");
  let services: OutboxServices;
  let db: Database, workerRedis: Redis, queues: Queues, telegram: FakeTelegram, worker: Worker;

  beforeAll(async () => {
    services = await openOutboxServices(config);
    ({ db, workerRedis, queues } = services);
    telegram = await FakeTelegram.start();
  });
  afterAll(async () => {
    await worker?.close();
    await services.stop();
    await telegram.close();
  });

  it("everyone reachable gets it; 403 is final; only lost answers and timeouts make flagged second copies", async () => {
    const account = telegram.token.split(":")[0]!;
    const ids = Array.from({ length: 60 }, (_, i) => 6_500_001 + i);
    for (const id of ids) telegram.knownChat(id);
    const [blocked, reset, hung] = [ids[5]!, ids[17]!, ids[33]!];
    telegram.block(blocked);
    telegram.injectFault({ method: "sendMessage", error_code: 429, retry_after: 1, count: 6 });
    telegram.injectFault({ method: "sendMessage", error_code: 502, description: "Bad Gateway", count: 4 });
    telegram.loseResponse({ method: "sendMessage", mode: "reset", chatId: reset });
    telegram.loseResponse({ method: "sendMessage", mode: "hang", chatId: hung });

    const channel = new TelegramChannel({ token: telegram.token, apiRoot: telegram.apiRoot, logger: quiet, sendTimeoutSeconds: 1 });
    const directory = createDirectory(db.models);
    await createOutbox(queues.outbox, createDeliveryRepo(db.models)).enqueueGroup("storm", ids.map((id) => ({
      key: `storm-${id}`, recipient: { channel: "telegram", account, userId: String(id), chatId: String(id) }, messages: [say("notice-manage-done")],
    })));
    worker = startOutboxWorker({
      connection: workerRedis, prefix: config.redis.queuePrefix, repo: createDeliveryRepo(db.models), senders: { telegram: channel.bulk },
      translator: new Translator(), ratePerSecond: 100, concurrency: 8, onUnreachable: (d) => directory.markUnreachable(d.recipient), logger: quiet,
    });
    await eventually(async () => (await deliveryStates(db.models, "storm")).every((d) => d.status === "sent" || d.status === "unreachable"), { timeoutMs: 60_000, intervalMs: 200, message: "every delivery settled" });

    const states = new Map((await deliveryStates(db.models, "storm")).map((d) => [Number(d.recipient.chatId), d]));
    expect(telegram.faults().filter((f) => f.error_code === 429)).toHaveLength(6);
    expect(telegram.lostResponses()).toHaveLength(2);
    expect(states.get(blocked)).toMatchObject({ status: "unreachable" });
    // The storm may hit it first; once Telegram says 403 it is never tried again.
    const toBlocked = telegram.calls("sendMessage").filter((c) => String(c.params.chat_id) === String(blocked)).map((c) => c.status);
    expect(toBlocked.filter((s) => s === 403)).toHaveLength(1);
    expect(toBlocked.at(-1)).toBe(403);
    for (const id of ids.filter((i) => i !== blocked)) {
      const copies = telegram.sent({ chatId: id }).length;
      const expected = id === reset || id === hung ? 2 : 1;
      expect({ id, copies }).toEqual({ id, copies: expected });
      expect({ id, flagged: states.get(id)!.possibleDuplicate }).toEqual({ id, flagged: expected === 2 });
    }
  }, 90_000);

  it("an interactive reply whose answer was lost is not repeated blindly: recovery sends it again, flagged", async () => {
    const t = await startTestApp("send-faults-reply");
    try {
      const user = { id: 6_510_001, first_name: "Lan" };
      t.telegram.loseResponse({ method: "sendMessage", mode: "reset", chatId: user.id });
      const update = t.telegram.userMessage(user, "/start");
      const eventId = telegramEventId(update, t.app.telegram!.account);
      // Telegram delivered the first reply; the app never heard back: the event stays pending.
      await eventually(() => t.telegram.lostResponses().length === 1, { timeoutMs: 15_000, message: "the reply's answer was lost" });
      // The turn is over once it let go of the chat's lock.
      const lock = `${t.app.config.redis.queuePrefix}:chat-lock:telegram:${t.app.telegram!.account}:${user.id}`;
      const redisOfTest = await connectRedis(t.app.config.redis.url);
      await eventually(async () => (await redisOfTest.exists(lock)) === 0, { timeoutMs: 15_000, message: "turn over" }).finally(() => redisOfTest.quit());
      expect((await t.app.db.models.ProcessedEvent.findById(eventId).lean())?.status).toBe("received");
      const first = t.telegram.sent({ chatId: user.id }).length;
      expect(first).toBe(1); // not retried behind the receiver's back
      // What the recover-inbound scheduler does, now.
      await t.app.receiver.recover(new Date(Date.now() + 1_000));
      expect((await t.app.db.models.ProcessedEvent.findById(eventId).lean())?.status).toBe("done");
      const texts = t.telegram.sent({ chatId: user.id }).map((s) => String(s.params.text));
      expect(texts[0]).toBe(texts[1]); // the lost one, sent again …
      expect(await t.app.db.models.DeliveryMark.countDocuments({ group: `turn:${eventId}`, kind: "duplicate" })).toBe(1); // … and flagged
      expect(new Set(texts.slice(1)).size).toBe(texts.length - 1); // nothing else twice
    } finally {
      await t.stop();
    }
  }, 60_000);
});
