/**
 * Fault (c): Redis stops while chats are active and scheduled sends are pending, then comes
 * back. The same app process (never restarted) reports not-ready meanwhile, answers every
 * message of the outage once, sends every scheduled message once, and takes new messages
 * normally again.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import type { Redis } from "ioredis";
import type { AppProcess } from "../support/processes.js";
import type { TgUser } from "../support/fake-telegram.js";
import { startFaultStack, STOP_TIMEOUT_MS, type FaultStack } from "../support/fault-stack.js";
import { eventually } from "../support/eventually.js";
import { deliveryStates } from "../support/deliveries.js";
import { createDeliveryRepo } from "../../src/store/deliveries.js";
import { connectRedis } from "../../src/jobs/redis.js";
import { createQueues, type Queues } from "../../src/jobs/runtime.js";
import { createOutbox } from "../../src/jobs/outbox.js";
import { say } from "../../src/engine/say.js";
import { replyFacts } from "./support.js";

const USERS: TgUser[] = Array.from({ length: 4 }, (_, i) => ({ id: 6_300_001 + i, first_name: `Phụ huynh ${i}` }));
const SCHEDULED = Array.from({ length: 10 }, (_, i) => 6_310_001 + i);
const GROUP = "reminder:fault-c";

describe("fault (c): Redis stopped and restarted under a running app", () => {
  let stack: FaultStack, app: AppProcess;

  beforeAll(async () => {
    stack = await startFaultStack("redis-outage");
    app = await stack.app({ role: "all" });
    await app.start();
  }, 180_000);

  afterAll(() => stack?.stop(), STOP_TIMEOUT_MS);

  const ready = async () => (await fetch(`${app.url}/readyz`)).status;

  it("recovers without a restart: nothing lost, no reply twice", async () => {
    const { telegram, db, account, services } = stack;
    const pid = app.pid;
    // Chats under way before the outage.
    for (const u of USERS) {
      const since = telegram.sent().length;
      telegram.userMessage(u, "/start");
      await telegram.waitForSent((s) => s.chatId === u.id, { since, timeoutMs: 20_000 });
    }
    // Scheduled sends (delayed jobs in Redis) falling due during or just after the outage.
    // (The test's own clients, closed before the outage.)
    const redis: Redis = await connectRedis(services.redis.url);
    const queues: Queues = createQueues(redis, services.prefix);
    for (const id of SCHEDULED) telegram.knownChat(id);
    await createOutbox(queues.outbox, createDeliveryRepo(db.models)).enqueueGroup(GROUP, SCHEDULED.map((id) => ({
      key: `fault-c-${id}`, recipient: { channel: "telegram", account, userId: String(id), chatId: String(id) },
      messages: [say("notice-manage-done")], notBefore: new Date(Date.now() + 8_000),
    })));
    await queues.close();
    await redis.quit();

    await services.redis.stop();
    expect(SCHEDULED.filter((id) => telegram.sent({ chatId: id }).length > 0)).toEqual([]); // still pending
    await eventually(async () => (await ready()) === 503, { timeoutMs: 15_000, intervalMs: 200, message: "readyz reports Redis down" });
    const outage = USERS.map((u) => telegram.userMessage(u, "/trogiup"));
    // Each message is recorded (the database is up), its handling fails for want of Redis.
    await eventually(async () => (await db.models.ProcessedEvent.countDocuments({ status: "received" })) === outage.length, { timeoutMs: 30_000, intervalMs: 200, message: "outage messages recorded" });
    await app.waitForLog((l) => l.msg === "redis or queue error", 15_000);
    expect(await ready()).toBe(503);

    await services.redis.start();
    await eventually(async () => (await ready()) === 200, { timeoutMs: 30_000, intervalMs: 200, message: "readyz ready again" });
    // A new message is answered at once by the same process.
    const late: TgUser = { id: 6_300_100, first_name: "Mới" };
    telegram.userMessage(late, "/start");
    await telegram.waitForSent((s) => s.chatId === late.id, { timeoutMs: 20_000 });
    // The outage's messages are answered by recovery; the scheduled sends go out.
    await eventually(async () => (await db.models.ProcessedEvent.countDocuments({ status: { $ne: "done" } })) === 0, { timeoutMs: 90_000, intervalMs: 250, message: "every message handled" });
    await eventually(async () => (await deliveryStates(db.models, GROUP)).every((d) => d.status === "sent"), { timeoutMs: 30_000, intervalMs: 250, message: "scheduled sends sent" });

    expect(app.pid).toBe(pid); // never restarted
    for (const id of SCHEDULED) expect(telegram.sent({ chatId: id })).toHaveLength(1);
    const facts = await replyFacts(db.models);
    for (const u of [...USERS, late]) {
      const chatKey = `telegram:${account}:${u.id}`;
      // Every reply the chat's turns produced was sent, and sent once.
      expect(telegram.sent({ chatId: u.id })).toHaveLength(facts.sentTo(chatKey));
    }
    expect(facts.duplicates).toBe(0);
    for (const u of USERS) expect(telegram.sent({ chatId: u.id }).length).toBeGreaterThanOrEqual(2); // before and after the outage
  }, 240_000);
});
