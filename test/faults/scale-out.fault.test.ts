/**
 * Scale-out: two `web` and two `worker` processes on one Redis and one database. Webhook
 * updates of one chat, alternated between the two web processes, are handled in order and
 * once; the job schedulers (recovery, the reconciler) fire once per period for the fleet.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { freePort, type AppProcess } from "../support/processes.js";
import { startFaultStack, STOP_TIMEOUT_MS, type FaultStack } from "../support/fault-stack.js";
import { eventually } from "../support/eventually.js";
import type { Queues } from "../../src/jobs/runtime.js";
import { createOutbox } from "../../src/jobs/outbox.js";
import { createDeliveryRepo } from "../../src/store/deliveries.js";
import { jobId } from "../../src/jobs/queues.js";
import { telegramEventId } from "../../src/channels/telegram/parse-update.js";
import { say } from "../../src/engine/say.js";
import { replyFacts } from "./support.js";

const SECRET = "scale-out-secret";
const UPDATES = 12;

describe("scale-out: two web and two worker processes on one Redis and one database", () => {
  let stack: FaultStack, queues: Queues;
  let webs: AppProcess[] = [], workers: AppProcess[] = [];

  beforeAll(async () => {
    stack = await startFaultStack("scale-out");
    const ports = [await freePort(), await freePort()];
    webs = await Promise.all(ports.map((port) => stack.app({ role: "web", port, env: { WEBHOOK_SECRET: SECRET, PUBLIC_URL: `http://127.0.0.1:${port}` } })));
    workers = await Promise.all([0, 1].map(() => stack.app({ role: "worker", env: { WEBHOOK_SECRET: SECRET, PUBLIC_URL: "http://127.0.0.1:1" } })));
    // The first one starts alone (its start builds the database's indexes); the other three then side by side.
    await workers[0]!.start();
    await Promise.all([workers[1]!.start(), ...webs.map((w) => w.start())]);
    ({ queues } = await stack.clients());
  }, 300_000);

  afterAll(() => stack?.stop(), STOP_TIMEOUT_MS);

  it("one chat's updates, alternated between the web processes, are handled in order and once", async () => {
    const user = { id: 6_600_001, first_name: "Lan" };
    const { telegram, db, account } = stack;
    telegram.knownChat(user.id);
    const texts = ["/start", "/trogiup", "/menu", "/ngonngu"];
    const ids: string[] = [];
    const now = Math.floor(Date.now() / 1000);
    for (let i = 0; i < UPDATES; i++) {
      // As Telegram would send them: the next one once the previous was acknowledged.
      const text = texts[i % texts.length]!;
      const update = { update_id: 900_000 + i, message: { message_id: 100 + i, date: now, from: { id: user.id, is_bot: false, first_name: "Lan" }, chat: { id: user.id, type: "private", first_name: "Lan" }, text, entities: [{ type: "bot_command", offset: 0, length: text.length }] } };
      ids.push(telegramEventId(update, account));
      const res = await fetch(`${webs[i % 2]!.url}/telegram/webhook`, { method: "POST", headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": SECRET }, body: JSON.stringify(update) });
      expect(res.status).toBe(200);
    }
    await eventually(async () => (await db.models.ProcessedEvent.countDocuments({ _id: { $in: ids }, status: "done" })) === UPDATES, { timeoutMs: 60_000, intervalMs: 200, message: "every update handled" });

    const turns = await db.models.Turn.find({ _id: { $in: ids } }).lean();
    expect(turns).toHaveLength(UPDATES); // each once
    const handled = [...turns].sort((a, b) => (a.at as Date).getTime() - (b.at as Date).getTime() || 0).map((t) => t._id);
    expect(handled).toEqual(ids); // in the order Telegram sent them
    const facts = await replyFacts(db.models);
    expect(telegram.sent({ chatId: user.id })).toHaveLength(facts.sentTo(`telegram:${account}:${user.id}`));
    expect(facts.duplicates).toBe(0);
  }, 120_000);

  it("the job schedulers fire once per period for the whole fleet; a job Redis lost is rebuilt by one reconcile", async () => {
    // A scheduled send whose job Redis lost (deleted here): the reconciler's work.
    const { telegram, db, account } = stack;
    telegram.knownChat(6_600_100);
    await createOutbox(queues.outbox, createDeliveryRepo(db.models)).enqueueGroup("scale-out", [{
      key: "scale-out-1", recipient: { channel: "telegram", account, userId: "6600100", chatId: "6600100" }, messages: [say("notice-manage-done")], notBefore: new Date(Date.now() + 600_000),
    }]);
    const outboxJob = jobId("d", "scale-out-1");
    expect(await queues.outbox.remove(outboxJob)).toBe(1);
    const rebuilt = (w: AppProcess) => w.logs().filter((l) => l.msg === "reconciler rebuilt jobs missing from Redis" && l.reconciler === "outbox");
    const before = workers.map((w) => rebuilt(w).length);
    await eventually(async () => (await queues.outbox.getJob(outboxJob)) !== undefined, { timeoutMs: 90_000, intervalMs: 500, message: "job rebuilt by the reconciler" });
    await eventually(() => workers.reduce((n, w, i) => n + rebuilt(w).length - before[i]!, 0) >= 1, { timeoutMs: 15_000 });
    expect(workers.reduce((n, w, i) => n + rebuilt(w).length - before[i]!, 0)).toBe(1); // one worker, once

    // Every run of a scheduler is one job, run by one worker, one period after the last.
    await eventually(async () => (await queues.maintenance.getJobs(["completed"])).filter((j) => j.name === "recover-inbound").length >= 3, { timeoutMs: 90_000, intervalMs: 500, message: "three recovery periods" });
    const runs = (await queues.maintenance.getJobs(["completed", "failed", "active"])).filter((j) => j.name === "recover-inbound" || j.name === "reconcile");
    for (const name of ["recover-inbound", "reconcile"]) {
      const times = runs.filter((j) => j.name === name).map((j) => j.processedOn ?? 0).sort((a, b) => a - b);
      expect(new Set(runs.filter((j) => j.name === name).map((j) => j.id)).size).toBe(times.length);
      const every = name === "reconcile" ? 60_000 : 30_000;
      for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(every - 1_000);
    }
  }, 240_000);
});
