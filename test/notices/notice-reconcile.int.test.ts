/**
 * Redis loses the notices' jobs (the test deletes its own queue-prefix keys, never FLUSHALL):
 * reconcile rebuilds them from MongoDB, and a scheduled notice, or a decided notice whose
 * fan-out job was lost, still goes out — once.
 */
import { describe, it, expect, beforeEach, afterEach } from "vitest";
import { eventually } from "../support/eventually.js";
import { QUEUES } from "../../src/jobs/queues.js";
import { noticeFanOutJobId, noticeJobId } from "../../src/jobs/notice-jobs.js";
import { noticeGroup } from "../../src/features/notices/index.js";
import { fanOutFactId } from "../../src/features/notices/deps.js";
import type { NoticeDraft } from "../../src/features/notices/port.js";
import { seedNoticeWorld, type NoticeWorld } from "./support/notice-fixture.js";
import { startNoticeHarness, type NoticeHarness } from "./support/notice-harness.js";

describe("reconciling the notices' jobs after Redis lost them", () => {
  let h: NoticeHarness, w: NoticeWorld;

  beforeEach(async () => {
    h = await startNoticeHarness("notice-reconcile");
    w = await seedNoticeWorld(h.db.models, { account: "bot", students: 4, guardianBase: 5000, teacherUserId: "1", principalUserId: "2" });
  });
  afterEach(async () => {
    await h.stop();
  });

  const draft = (over: Partial<NoticeDraft> = {}): NoticeDraft => ({
    schoolId: w.schoolId, scope: { kind: "class", classGroupId: w.classId }, kind: "info", text: "Thông báo họp lớp", urgent: false, ...over,
  });
  const deliveriesOf = (noticeId: string) => h.db.models.Delivery.countDocuments({ group: noticeGroup(noticeId) });
  const fannedOut = (noticeId: string, round = 0) =>
    eventually(async () => !!(await h.db.models.Transition.findById(fanOutFactId(noticeId, round)).lean()), { message: `fan-out of ${noticeId} r${round}` });

  it("a scheduled notice whose due job was wiped is rescheduled by reconcile and goes out once at its time", async () => {
    const teacher = await w.actor(w.identities.teacher);
    const sendAt = new Date(h.clock.now().getTime() + 2 * 3_600_000);
    const r = await h.feature.port.create(teacher, draft({ sendAt }), "rec-1");
    if (r.status !== "scheduled") throw new Error("not scheduled");
    const broadcasts = h.queues.get(QUEUES.broadcasts);
    expect(await broadcasts.getJob(noticeJobId(r.notice.id))).toBeDefined();

    expect(await h.wipeRedisPrefix()).toBeGreaterThan(0);
    expect(await broadcasts.getJob(noticeJobId(r.notice.id))).toBeUndefined();

    expect(await h.feature.reconcile()).toBe(1);
    const job = (await broadcasts.getJob(noticeJobId(r.notice.id)))!;
    expect(job.opts.delay).toBe(2 * 3_600_000);
    expect(await h.feature.reconcile()).toBe(0); // already there: nothing added

    await h.startWorker();
    h.clock.set(sendAt);
    await job.promote();
    await fannedOut(r.notice.id);
    expect(await deliveriesOf(r.notice.id)).toBe(5);

    // Wiped again after it went out: reconcile has nothing left to rebuild, nothing is sent again.
    await h.wipeRedisPrefix();
    expect(await h.feature.reconcile()).toBe(0);
    expect(await h.queues.outbox.count()).toBe(0);
    expect(await deliveriesOf(r.notice.id)).toBe(5);
  });

  it("a notice decided but whose fan-out job was wiped before it ran is fanned out by reconcile; a cancelled one stays unsent", async () => {
    const teacher = await w.actor(w.identities.teacher);
    const sent = await h.feature.port.create(teacher, draft(), "rec-2");
    if (sent.status !== "sent") throw new Error("not sent");
    const later = await h.feature.port.create(teacher, draft({ sendAt: new Date(h.clock.now().getTime() + 3_600_000) }), "rec-3");
    if (later.status !== "scheduled") throw new Error("not scheduled");
    expect(await h.feature.port.cancel(teacher, later.notice.id)).toMatchObject({ status: "cancelled", decided: true });

    await h.wipeRedisPrefix();
    expect(await h.queues.get(QUEUES.broadcasts).getJob(noticeFanOutJobId(sent.notice.id, 0))).toBeUndefined();
    expect(await h.feature.reconcile()).toBe(1);
    await h.startWorker();
    await fannedOut(sent.notice.id);
    expect(await deliveriesOf(sent.notice.id)).toBe(5);
    expect(await h.queues.get(QUEUES.broadcasts).getJob(noticeJobId(later.notice.id))).toBeUndefined();
    expect(await deliveriesOf(later.notice.id)).toBe(0);
  });
});
