/**
 * Retention (the privacy notice's promises), run by the maintenance job schedulers' worker
 * against seeded old and fresh documents with a fake clock: idle conversations, processed
 * events and their turns, delivered messages' texts, resolved concerns' words once their
 * school year is long over, and schools' digest facts. What is not yet old stays, byte for byte.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { Queue, type Job } from "bullmq";
import type { Redis } from "ioredis";
import { connectRedis } from "../../src/jobs/redis.js";
import { startMaintenanceWorker, type MaintenanceTasks } from "../../src/jobs/maintenance.js";
import { QUEUES } from "../../src/jobs/queues.js";
import { registerConcernModels, type ConcernModels } from "../../src/store/concern-models.js";
import { createDeliveryRepo, markId } from "../../src/store/deliveries.js";
import { loadConfig } from "../../src/app/config.js";
import { retentionTasks, type RetentionTask } from "../../src/app/retention.js";
import { yearEnd } from "../../src/features/concerns/retention.js";
import { DIGEST_KIND, digestEntity } from "../../src/features/concerns/digest.js";
import { decideTransition } from "../../src/store/facts.js";
import { say } from "../../src/engine/say.js";
import { FakeClock } from "../support/fakes.js";
import { testConfig } from "../support/test-config.js";
import { useDatabase } from "../support/database.js";
import { eventually } from "../support/eventually.js";

const day = 86_400_000;

describe("retention jobs (real database, real BullMQ)", () => {
  const config = testConfig("retention", { CONVERSATION_TTL_HOURS: "48", INBOUND_RETENTION_DAYS: "7", DELIVERY_PAYLOAD_RETENTION_HOURS: "72", CONCERN_TEXT_RETENTION_MONTHS: "12" });
  const clock = new FakeClock(new Date("2026-10-01T03:00:00Z"));
  const now = clock.now().getTime();
  const db = useDatabase(config);
  let redis: Redis;
  let queue: Queue;
  let worker: ReturnType<typeof startMaintenanceWorker>;
  let C: ConcernModels;

  beforeAll(async () => {
    C = registerConcernModels(db.conn);
    redis = await connectRedis(config.redis.url, true);
    queue = new Queue(QUEUES.maintenance, { connection: redis, prefix: config.redis.queuePrefix });
    const none = async () => 0;
    const tasks: MaintenanceTasks = { "recover-inbound": none, reconcile: none, "expire-codes": none, "zalo-oa-refresh": none, "zalo-oa-prune": none, ...retentionTasks(db, config, clock) };
    worker = startMaintenanceWorker(redis, config.redis.queuePrefix, tasks, () => {});
  }, 30_000);
  afterAll(async () => {
    await worker?.close();
    await queue?.obliterate({ force: true });
    await queue?.close();
    await redis?.quit();
  });

  /** Runs one task as the scheduler would (a job on the maintenance queue); returns its count. */
  async function run(name: RetentionTask): Promise<number> {
    const job = await queue.add(name, {});
    await eventually(async () => (await queue.getJobState(job.id!)) === "completed", { timeoutMs: 15_000, message: `${name} did not complete` });
    const done: Job | undefined = await queue.getJob(job.id!);
    return Number(done!.returnvalue);
  }

  it("reads its periods from the environment, with the privacy notice's defaults", () => {
    const env = { MONGODB_URI: "mongodb://x", REDIS_URL: "redis://x" };
    expect(loadConfig(env)).toMatchObject({ inboundRetentionDays: 7, concernTextRetentionMonths: 12, conversationTtlHours: 48, deliveryPayloadRetentionHours: 72 });
    expect(loadConfig({ ...env, INBOUND_RETENTION_DAYS: "3", CONCERN_TEXT_RETENTION_MONTHS: "6" })).toMatchObject({ inboundRetentionDays: 3, concernTextRetentionMonths: 6 });
    expect(() => loadConfig({ ...env, CONCERN_TEXT_RETENTION_MONTHS: "0" })).toThrow(/CONCERN_TEXT_RETENTION_MONTHS/);
  });

  it("forgets conversations idle longer than CONVERSATION_TTL_HOURS", async () => {
    const m = db.models;
    await m.ConversationState.create({ _id: "telegram:1:old", flowId: "concern", flowVersion: 1, step: "askText", data: "{\"text\":\"draft\"}", updatedAt: new Date(now - 49 * 3_600_000) });
    await m.ConversationState.create({ _id: "telegram:1:fresh", flowId: "concern", flowVersion: 1, step: "askText", updatedAt: new Date(now - 47 * 3_600_000) });
    expect(await run("expire-conversations")).toBe(1);
    expect((await m.ConversationState.find({}).lean()).map((c) => c._id)).toEqual(["telegram:1:fresh"]);
  });

  it("deletes processed events and their turns older than INBOUND_RETENTION_DAYS, never a pending one", async () => {
    const m = db.models;
    const event = (id: string, ageDays: number, status: string) => m.ProcessedEvent.create({ _id: id, status, chatKey: "telegram:1:1", receivedAt: new Date(now - ageDays * day), ...(status === "done" ? { completedAt: new Date(now - ageDays * day) } : { event: "{}" }) });
    await event("ev-old", 8, "done");
    await event("ev-fresh", 6, "done");
    await event("ev-pending", 8, "received");
    await m.Turn.create({ _id: "ev-old", status: "handled", outbound: "[{\"text\":\"old reply\"}]", at: new Date(now - 8 * day) });
    await m.Turn.create({ _id: "ev-fresh", status: "handled", at: new Date(now - 6 * day) });
    await m.DeliveryMark.create({ _id: "turn:ev-old#0|sent", delivery: "turn:ev-old#0", group: "turn:ev-old", kind: "sent", at: new Date(now - 8 * day) });
    expect(await run("expire-inbound")).toBe(1);
    expect((await m.ProcessedEvent.find({}).sort({ _id: 1 }).lean()).map((e) => e._id)).toEqual(["ev-fresh", "ev-pending"]);
    expect((await m.Turn.find({}).lean()).map((t) => t._id)).toEqual(["ev-fresh"]);
    expect(await m.DeliveryMark.countDocuments({ group: "turn:ev-old" })).toBe(0);
  });

  it("empties a delivered message's text DELIVERY_PAYLOAD_RETENTION_HOURS after it ended (expireDeliveryPayloads)", async () => {
    const m = db.models;
    const repo = createDeliveryRepo(m);
    const recipient = { channel: "telegram" as const, account: "1", userId: "5", chatId: "5" };
    await repo.createMany([
      { key: "rt-old", recipient, messages: [say("menu-hint")], group: "g" },
      { key: "rt-fresh", recipient, messages: [say("menu-hint")], group: "g" },
      { key: "rt-queued", recipient, messages: [say("menu-hint")], group: "g" },
    ]);
    const ids = Object.fromEntries((await m.Delivery.find({}).lean()).map((d) => [d._id.includes("rt-old") ? "old" : d._id.includes("rt-fresh") ? "fresh" : "queued", d._id]));
    await m.DeliveryMark.create({ _id: markId(ids.old!, "sent"), delivery: ids.old, group: "g", kind: "sent", at: new Date(now - 73 * 3_600_000) });
    await m.DeliveryMark.create({ _id: markId(ids.fresh!, "sent"), delivery: ids.fresh, group: "g", kind: "sent", at: new Date(now - 71 * 3_600_000) });
    expect(await run("expire-delivery-payloads")).toBe(1);
    const payload = async (id: string) => (await m.Delivery.findById(id).lean())!.messages;
    expect(await payload(ids.old!)).toBe("[]");
    expect(await payload(ids.fresh!)).toContain("menu-hint");
    expect(await payload(ids.queued!)).toContain("menu-hint");
  });

  it("empties resolved concerns' words CONCERN_TEXT_RETENTION_MONTHS after their school year ended; open ones and later years keep them", async () => {
    const m = db.models;
    const school = await m.School.create({ name: "THCS Retention", slug: `ret-${Date.now()}` });
    await m.SchoolYear.create({ schoolId: school._id, name: "2024-2025", endsOn: new Date("2025-05-31T00:00:00Z") }); // + 12 months < 2026-10-01
    await m.SchoolYear.create({ schoolId: school._id, name: "2025-2026" }); // ends 31 May 2026: + 12 months is still ahead
    const words = "Con bị bạn trêu chọc ở căng tin, xin cô để ý giúp";
    const ticket = async (id: string, yearName: string, status: string, seq: number) => {
      const at = new Date("2025-03-01T02:00:00Z");
      await C.Concern.create({ _id: id, schoolId: school._id, seq, number: `PA-${seq}`, eventId: `ev-${id}`, studentId: "s1", classGroupId: "c1", yearName,
        guardianIdentityId: "g1", category: "bullying", status, createdAt: at, updatedAt: at, ...(status === "resolved" ? { resolvedAt: at } : {}) });
      await C.ConcernMessage.create({ _id: `${id}-m1`, concernId: id, from: "guardian", authorIdentityId: "g1", text: words, photoRef: "AgADphoto", at });
      await C.ConcernIncident.create({ _id: `${id}-i`, concernId: id, schoolId: school._id, whatHappened: words, when: "sáng thứ Hai", informed: "mẹ", actions: "gặp hai em", createdBy: "t1", createdAt: at });
      await createDeliveryRepo(m).createMany([{ key: `pa-${id}-teacher`, recipient: { channel: "telegram", account: "1", userId: "7", chatId: "7" }, messages: [say("concern-not-found")], group: `pa-${id}` }]);
    };
    await ticket("told", "2024-2025", "resolved", 1);
    await ticket("open", "2024-2025", "in-progress", 2);
    await ticket("recent", "2025-2026", "resolved", 3);

    expect(await run("expire-concern-texts")).toBe(1);
    const messageOf = async (id: string) => (await C.ConcernMessage.findById(`${id}-m1`).lean())!;
    expect(await messageOf("told")).toMatchObject({ text: "", photoRef: "" });
    expect(await C.ConcernIncident.findById("told-i").lean()).toMatchObject({ whatHappened: "", when: "", informed: "", actions: "" });
    expect((await m.Delivery.findOne({ group: "pa-told" }).lean())!.messages).not.toContain("concern-not-found");
    expect(await C.Concern.findById("told").lean()).toMatchObject({ number: "PA-1", category: "bullying", status: "resolved" }); // statistics stay
    for (const kept of ["open", "recent"]) {
      expect(await messageOf(kept)).toMatchObject({ text: words, photoRef: "AgADphoto" });
      expect((await C.ConcernIncident.findById(`${kept}-i`).lean())!.whatHappened).toBe(words);
      expect((await m.Delivery.findOne({ group: `pa-${kept}` }).lean())!.messages).toContain("concern-not-found");
    }
    // The next day's run finds nothing left to do.
    expect(await run("expire-concern-texts")).toBe(0);
    // A year later the 2025-2026 ticket's time has come too.
    clock.advance(365 * day);
    expect(await run("expire-concern-texts")).toBe(1);
    expect(await messageOf("recent")).toMatchObject({ text: "" });
    expect(await messageOf("open")).toMatchObject({ text: words });
  });

  it("deletes schools' digest facts older than DIGEST_FACT_RETENTION_DAYS; recent ones and other facts stay", async () => {
    const m = db.models;
    const at = (ageDays: number) => new Date(clock.now().getTime() - ageDays * day);
    const digest = (school: string, date: string, ageDays: number) =>
      decideTransition(m, { entity: digestEntity(school), slot: date, kind: DIGEST_KIND, actor: "run-1", at: at(ageDays) });
    await digest("sch-a", "old", 15);
    await digest("sch-b", "old", 30);
    await digest("sch-a", "recent", 13);
    await digest("sch-b", "today", 0);
    // Old facts that are not digests stay: a ticket's, one just past the key prefix, one of another kind under it.
    await decideTransition(m, { entity: "concern-ticket-1", slot: "c1", kind: "resolved", at: at(400) });
    await decideTransition(m, { entity: "concern-digest.other", slot: "x", kind: "noted", at: at(400) });
    await decideTransition(m, { entity: digestEntity("sch-c"), slot: "not-a-digest", kind: "other", at: at(400) });
    const before = new Set((await m.Transition.find({}).select({ _id: 1 }).lean()).map((f) => String(f._id)));

    expect(await run("expire-concern-digests")).toBe(2);
    const after = new Set((await m.Transition.find({}).select({ _id: 1 }).lean()).map((f) => String(f._id)));
    expect([...before].filter((id) => !after.has(id)).sort()).toEqual([`${digestEntity("sch-a")}#old`, `${digestEntity("sch-b")}#old`]);
    for (const kept of [`${digestEntity("sch-a")}#recent`, `${digestEntity("sch-b")}#today`, "concern-ticket-1#c1", "concern-digest.other#x", `${digestEntity("sch-c")}#not-a-digest`]) expect(after).toContain(kept);
    expect(await run("expire-concern-digests")).toBe(0);
  });

  it("a year without an end date ends on 31 May of its second calendar year", () => {
    expect(yearEnd({ name: "2026-2027" })?.toISOString()).toBe("2027-05-31T23:59:00.000Z");
    expect(yearEnd({ name: "2026-2027", endsOn: new Date("2027-06-15T00:00:00Z") })?.toISOString()).toBe("2027-06-15T00:00:00.000Z");
    expect(yearEnd({ name: "Năm học mới" })).toBeUndefined();
  });
});
