/**
 * Fault (b): the web process is SIGKILLed after it recorded (and acknowledged) a webhook update
 * but before it handled it. After the restart the update is handled once — by the recovery
 * job scheduler of the worker — and Telegram is not asked to deliver it again.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import type { Redis } from "ioredis";
import { startStack, appProcess, freePort, killAll, type PrivateStack, type AppProcess } from "../support/processes.js";
import { FakeTelegram } from "../support/fake-telegram.js";
import { eventually } from "../support/eventually.js";
import { openDatabase, type Database } from "../../src/store/mongo.js";
import { connectRedis } from "../../src/jobs/redis.js";
import { telegramEventId } from "../../src/channels/telegram/parse-update.js";

const SECRET = "fault-b-secret";

describe("fault (b): web killed between recording and handling a webhook update", () => {
  let stack: PrivateStack, telegram: FakeTelegram, db: Database, redis: Redis, web: AppProcess, worker: AppProcess;

  beforeAll(async () => {
    [stack, telegram] = await Promise.all([startStack("webhook-kill"), FakeTelegram.start()]);
    db = await openDatabase(stack.ferret.uri, stack.db);
    redis = await connectRedis(stack.redis.url);
    const port = await freePort();
    const env = stack.env({ TELEGRAM_BOT_TOKEN: telegram.token, TELEGRAM_API_ROOT: telegram.apiRoot, PUBLIC_URL: `http://127.0.0.1:${port}`, WEBHOOK_SECRET: SECRET });
    worker = await appProcess({ role: "worker", env });
    web = await appProcess({ role: "web", env, port });
    await worker.start();
    await web.start();
  }, 180_000);

  afterAll(async () => {
    // The private services go whatever else fails: nothing may outlive the test.
    try {
      await killAll([web, worker].filter(Boolean));
      await redis?.quit();
      await db?.close();
      await telegram?.close();
    } finally {
      await stack?.destroy();
    }
  }, 60_000);

  it("the recorded update is handled once, by recovery, after the restart", async () => {
    const user = { id: 6_200_001, first_name: "Lan" };
    const account = telegram.token.split(":")[0]!;
    // The chat is busy (its lock held elsewhere): the web process records and acknowledges the
    // update, then waits for the lock — the moment between recording and handling.
    const lockKey = `${stack.prefix}:chat-lock:telegram:${account}:${user.id}`;
    await redis.set(lockKey, "held-by-the-test", "PX", 120_000);
    const update = telegram.userMessage(user, "/start");
    const eventId = telegramEventId(update, account);
    await eventually(() => telegram.webhookDeliveries().some((d) => d.updateId === update.update_id && d.status === 200), { timeoutMs: 20_000, message: "update acknowledged" });
    expect((await db.models.ProcessedEvent.findById(eventId).lean())?.status).toBe("received");

    await web.kill();
    expect(await db.models.Turn.countDocuments({ _id: eventId })).toBe(0); // not handled
    expect(telegram.sent({ chatId: user.id })).toHaveLength(0);
    await redis.del(lockKey);
    await web.start();

    // Recovery runs every 30 s on events older than 30 s: within about a minute.
    await eventually(async () => (await db.models.ProcessedEvent.findById(eventId).lean())?.status === "done", { timeoutMs: 90_000, intervalMs: 250, message: "handled by recovery" });
    await worker.waitForLog((l) => l.job === "recover-inbound" && Number(l.count) >= 1, 5_000);
    expect(await db.models.Turn.countDocuments({ _id: eventId })).toBe(1);
    const replies = telegram.sent({ chatId: user.id }).map((s) => String(s.params.text));
    expect(replies.length).toBeGreaterThan(0);
    expect(new Set(replies).size).toBe(replies.length); // no reply twice
    // Telegram was answered 200 once and never had to deliver it again.
    expect(telegram.webhookDeliveries().filter((d) => d.updateId === update.update_id).map((d) => d.status)).toEqual([200]);
    expect(await db.models.DeliveryMark.countDocuments({ group: `turn:${eventId}`, kind: "duplicate" })).toBe(0);
  }, 180_000);
});
