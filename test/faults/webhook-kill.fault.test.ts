/**
 * Fault (b): the web process is SIGKILLed after it recorded (and acknowledged) a webhook update
 * but before it handled it. After the restart the update is handled once — by the recovery
 * job scheduler of the worker — and Telegram is not asked to deliver it again.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { freePort, type AppProcess } from "../support/processes.js";
import { startFaultStack, STOP_TIMEOUT_MS, type FaultStack } from "../support/fault-stack.js";
import { eventually } from "../support/eventually.js";
import { telegramEventId } from "../../src/channels/telegram/parse-update.js";

const SECRET = "fault-b-secret";

describe("fault (b): web killed between recording and handling a webhook update", () => {
  let stack: FaultStack, web: AppProcess, worker: AppProcess;

  beforeAll(async () => {
    stack = await startFaultStack("webhook-kill");
    const port = await freePort();
    const env = { PUBLIC_URL: `http://127.0.0.1:${port}`, WEBHOOK_SECRET: SECRET };
    worker = await stack.app({ role: "worker", env });
    web = await stack.app({ role: "web", env, port });
    await worker.start();
    await web.start();
  }, 180_000);

  afterAll(() => stack?.stop(), STOP_TIMEOUT_MS);

  it("the recorded update is handled once, by recovery, after the restart", async () => {
    const user = { id: 6_200_001, first_name: "Lan" };
    const { telegram, db, account } = stack;
    const { redis } = await stack.clients();
    // The chat is busy (its lock held elsewhere): the web process records and acknowledges the
    // update, then waits for the lock — the moment between recording and handling.
    const lockKey = `${stack.services.prefix}:chat-lock:telegram:${account}:${user.id}`;
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
