/**
 * A principal's school-wide notice (issue 8, item 11): the sender's turn records the decision
 * and returns; the fan-out to a few hundred households is a job, and a fan-out job that dies
 * half-way and is retried reaches every household once.
 */
import { describe, it, expect, afterEach } from "vitest";
import { eventually } from "../support/eventually.js";
import { QUEUES } from "../../src/jobs/queues.js";
import { noticeFanOutJobId } from "../../src/jobs/notice-jobs.js";
import { startOutboxWorker, createOutbox } from "../../src/jobs/outbox.js";
import { connectRedis } from "../../src/jobs/redis.js";
import { createDeliveryRepo } from "../../src/store/deliveries.js";
import { rolesOf } from "../../src/store/directory.js";
import type { Models } from "../../src/store/models.js";
import { Translator } from "../../src/i18n/fluent.js";
import { noticeGroup } from "../../src/features/notices/index.js";
import { fanOutFactId } from "../../src/features/notices/deps.js";
import { FAN_OUT_CHUNK } from "../../src/features/notices/dispatch.js";
import type { NoticeActor } from "../../src/features/notices/port.js";
import type { OutboxItem } from "../../src/engine/ports.js";
import { startNoticeHarness, type NoticeHarness } from "./support/notice-harness.js";

const HOUSEHOLDS = 300;

/** A school of three classes of 100 pupils, one Telegram guardian each, and its principal. */
async function seedSchool(models: Models): Promise<{ schoolId: string; principal: NoticeActor }> {
  const school = await models.School.create({ name: "Trường THCS Chu Văn An", slug: `cva-${Math.random().toString(36).slice(2, 8)}` });
  const year = await models.SchoolYear.create({ schoolId: school._id, name: "2026-2027" });
  for (let c = 0; c < 3; c++) {
    const cls = await models.ClassGroup.create({ schoolId: school._id, yearId: year._id, name: `7A${c + 1}`, grade: 7 });
    const students = await models.Student.insertMany(Array.from({ length: HOUSEHOLDS / 3 }, (_, i) => ({
      schoolId: school._id, classGroupId: cls._id, fullName: `Học Sinh ${c}-${i}`, studentCode: `S${c}-${i}`,
    })));
    const identities = await models.ChannelIdentity.insertMany(students.map((_, i) => {
      const id = String(8_000_000 + c * 1000 + i);
      return { channel: "telegram", account: "bot", externalUserId: id, chatId: id, locale: "vi" };
    }));
    await models.GuardianLink.insertMany(identities.map((g, i) => ({ identityId: g._id, studentId: students[i]!._id, schoolId: school._id })));
  }
  const identity = await models.ChannelIdentity.create({ channel: "telegram", account: "bot", externalUserId: "1", chatId: "1" });
  const staff = await models.Staff.create({ schoolId: school._id, fullName: "Trần Văn Minh", title: "Thầy" });
  await models.StaffRole.create({ identityId: identity._id, staffId: staff._id, schoolId: school._id, role: "principal", classGroupId: "" });
  return { schoolId: school._id, principal: { identityId: identity._id, roles: await rolesOf(models, identity._id) } };
}

describe("a school-wide notice fans out in a job, not in the sender's turn", () => {
  let h: NoticeHarness | undefined;
  const closeLater: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const close of closeLater.splice(0)) await close();
    await h?.stop();
  });

  it("the principal's turn returns with the decision recorded and nothing sent; the job then reaches every household", async () => {
    h = await startNoticeHarness("notice-fanout");
    const { schoolId, principal } = await seedSchool(h.db.models);
    const r = await h.feature.port.create(principal, { schoolId, scope: { kind: "school" }, kind: "info", urgent: false, text: "Lịch nghỉ Tết" }, "fan-1");
    if (r.status !== "sent") throw new Error(`not sent: ${r.status}`);
    expect(r.households).toBe(HOUSEHOLDS);
    // The turn is over: the notice is decided and its fan-out job waits, but no delivery exists yet.
    expect(await h.db.models.Delivery.countDocuments({})).toBe(0);
    const job = await h.queues.get(QUEUES.broadcasts).getJob(noticeFanOutJobId(r.notice.id, 0));
    expect(job?.data).toEqual({ noticeId: r.notice.id, round: 0 });
    expect(await job!.getState()).toBe("waiting");

    await h.startWorker();
    await eventually(async () => !!(await h!.db.models.Transition.findById(fanOutFactId(r.notice.id, 0)).lean()), { timeoutMs: 60_000, message: "fan-out finished" });
    expect(await h.db.models.Delivery.countDocuments({ group: noticeGroup(r.notice.id) })).toBe(HOUSEHOLDS);
    expect(await h.queues.outbox.count()).toBe(HOUSEHOLDS);
  });

  it("a fan-out job that dies half-way is retried and every household gets the notice once", async () => {
    // The first attempt dies after its first chunk of deliveries (recorded and enqueued), like a killed worker.
    let calls = 0;
    const forward: { enqueueGroup(group: string, items: OutboxItem[]): Promise<void> } = { enqueueGroup: async () => {} };
    h = await startNoticeHarness("notice-fanout-retry", {
      outbox: {
        async enqueueGroup(group, items) {
          if (++calls === 2) throw new Error("worker killed mid fan-out");
          await forward.enqueueGroup(group, items);
        },
      },
    });
    const harness = h;
    const repo = createDeliveryRepo(harness.db.models);
    forward.enqueueGroup = createOutbox(harness.queues.outbox, repo, () => harness.clock.now()).enqueueGroup;
    const { schoolId, principal } = await seedSchool(harness.db.models);
    const r = await harness.feature.port.create(principal, { schoolId, scope: { kind: "school" }, kind: "info", urgent: false, text: "Lịch nghỉ Tết" }, "fan-2");
    if (r.status !== "sent") throw new Error(`not sent: ${r.status}`);

    // A real outbox worker with a recording sender: what each chat receives.
    const received = new Map<string, number>();
    const outboxRedis = await connectRedis(harness.config.redis.url, true);
    const outboxWorker = startOutboxWorker({
      connection: outboxRedis, prefix: harness.config.redis.queuePrefix, repo, translator: new Translator(),
      senders: { telegram: { send: async (address) => void received.set(address.chatId, (received.get(address.chatId) ?? 0) + 1) } },
      ratePerSecond: 10_000, concurrency: 8, onUnreachable: async () => {}, logger: { info: () => {}, warn: () => {} },
    });
    closeLater.push(() => outboxWorker.close(), () => outboxRedis.quit());
    const noticeWorker = await harness.startWorker();
    const failed = new Promise((resolve) => noticeWorker.once("failed", resolve));

    await failed;
    expect(calls).toBeGreaterThanOrEqual(2);
    await eventually(async () => !!(await harness.db.models.Transition.findById(fanOutFactId(r.notice.id, 0)).lean()), { timeoutMs: 60_000, message: "retried fan-out finished" });
    const jobOf = () => harness.queues.get(QUEUES.broadcasts).getJob(noticeFanOutJobId(r.notice.id, 0));
    await eventually(async () => (await (await jobOf())?.getState()) === "completed", { message: "fan-out job completed" });
    expect((await jobOf())!.attemptsStarted).toBe(2); // one failed attempt, one retry
    expect(await harness.db.models.Delivery.countDocuments({ group: noticeGroup(r.notice.id) })).toBe(HOUSEHOLDS);
    await eventually(() => received.size === HOUSEHOLDS, { timeoutMs: 60_000, message: "every household received it" });
    // The first chunk was enqueued by both attempts, yet nobody got it twice.
    expect(FAN_OUT_CHUNK).toBeLessThan(HOUSEHOLDS);
    expect([...received.values()].every((n) => n === 1)).toBe(true);
  });
});
