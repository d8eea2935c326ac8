import { describe, it, expect, beforeEach, afterEach } from "vitest";
import { eventually } from "../support/eventually.js";
import { QUEUES } from "../../src/jobs/queues.js";
import { noticeJobId } from "../../src/jobs/notice-jobs.js";
import { noticeGroup, type Notices } from "../../src/features/notices/index.js";
import type { NoticeDraft } from "../../src/features/notices/port.js";
import { seedNoticeWorld, type NoticeWorld } from "./support/notice-fixture.js";
import { startNoticeHarness, type NoticeHarness } from "./support/notice-harness.js";

describe("notices on real FerretDB, Redis and BullMQ", () => {
  let h: NoticeHarness, w: NoticeWorld, service: Notices["port"];
  let db: NoticeHarness["db"], queues: NoticeHarness["queues"], N: NoticeHarness["N"], clock: NoticeHarness["clock"];

  beforeEach(async () => {
    h = await startNoticeHarness("notice-svc");
    ({ db, queues, N, clock } = h);
    service = h.feature.port;
    w = await seedNoticeWorld(db.models, { account: "bot", students: 4, guardianBase: 5000, teacherUserId: "1", principalUserId: "2" });
    await h.startWorker();
  });
  afterEach(async () => {
    await h.stop();
  });

  const draft = (over: Partial<NoticeDraft> = {}): NoticeDraft => ({
    schoolId: w.schoolId, scope: { kind: "class", classGroupId: w.classId }, kind: "info", text: "Thông báo nghỉ học", urgent: false, ...over,
  });
  const outboxDelays = async () => (await queues.outbox.getJobs(["delayed", "waiting"])).map((j) => j.opts.delay ?? 0);
  const deliveriesOf = (noticeId: string) => db.models.Delivery.countDocuments({ group: noticeGroup(noticeId) });
  /** Waits until the notice's fan-out job has recorded `n` deliveries and queued their jobs (deliveries are written first). */
  const fannedOut = (noticeId: string, n: number) =>
    eventually(async () => (await deliveriesOf(noticeId)) === n && (await outboxDelays()).length >= n, { message: `fan-out of ${noticeId} to ${n} deliveries` });

  it("a homeroom teacher reaches only their own class; grade and school scope are the principal's", async () => {
    const teacher = await w.actor(w.identities.teacher);
    expect(await service.create(teacher, draft({ scope: { kind: "class", classGroupId: w.otherClassId } }), "e1")).toEqual({ status: "forbidden" });
    expect(await service.create(teacher, draft({ scope: { kind: "grade", grade: 6 } }), "e2")).toEqual({ status: "forbidden" });
    expect(await service.create(teacher, draft({ scope: { kind: "school" } }), "e3")).toEqual({ status: "forbidden" });
    const guardian = await w.actor(w.identities.guardians[0]!);
    expect(await service.create(guardian, draft(), "e4")).toEqual({ status: "forbidden" });
    expect(await db.models.Delivery.countDocuments({})).toBe(0);

    const principal = await w.actor(w.identities.principal);
    const r = await service.create(principal, draft({ scope: { kind: "grade", grade: 6 } }), "e5");
    expect(r).toMatchObject({ status: "sent", households: 4 });
    // The teacher cannot open the principal's notice; nothing says it exists.
    if (r.status !== "sent") throw new Error("not sent");
    expect(await service.report(teacher, r.notice.id)).toBeUndefined();
    expect(await service.renotify(teacher, r.notice.id, 1)).toEqual({ status: "not-found" });
  });

  it("refuses an empty text, a confirmation without deadline, a deadline or send time in the past, and khẩn cấp from a teacher", async () => {
    const teacher = await w.actor(w.identities.teacher);
    const past = new Date(clock.now().getTime() - 60_000);
    expect(await service.create(teacher, draft({ text: "   " }), "b1")).toEqual({ status: "invalid", reason: "empty" });
    expect(await service.create(teacher, draft({ kind: "ack" }), "b2")).toEqual({ status: "invalid", reason: "deadline-missing" });
    expect(await service.create(teacher, draft({ kind: "ack", deadline: past }), "b3")).toEqual({ status: "invalid", reason: "deadline-past" });
    expect(await service.create(teacher, draft({ sendAt: past }), "b4")).toEqual({ status: "invalid", reason: "send-at-past" });
    const sendAt = new Date(clock.now().getTime() + 3_600_000);
    expect(await service.create(teacher, draft({ kind: "ack", sendAt, deadline: new Date(sendAt.getTime() - 1) }), "b5")).toEqual({ status: "invalid", reason: "deadline-past" });
    expect(await service.create(teacher, draft({ urgent: true }), "b6")).toEqual({ status: "invalid", reason: "not-urgent-allowed" });
    expect(await N.Notice.countDocuments({})).toBe(0);
  });

  it("in quiet hours a normal notice waits for 06:30 via the outbox's notBefore; a principal's khẩn cấp goes at once", async () => {
    clock.set("2026-09-14T15:00:00Z"); // 22:00 local
    const teacher = await w.actor(w.identities.teacher);
    const normal = await service.create(teacher, draft(), "q1");
    expect(normal).toMatchObject({ status: "sent", deferredUntil: new Date("2026-09-14T23:30:00Z") }); // 15/09 06:30 local
    if (normal.status !== "sent") throw new Error("not sent");
    await fannedOut(normal.notice.id, 5);
    const delays = await outboxDelays();
    expect(delays).toHaveLength(5); // 4 pupils, pupil 0 has two guardians
    expect(delays.every((d) => d === 8.5 * 3_600_000)).toBe(true);
    await queues.outbox.obliterate({ force: true });

    const principal = await w.actor(w.identities.principal);
    const urgent = await service.create(principal, draft({ urgent: true, text: "Nghỉ học do bão số 3" }), "q2");
    expect(urgent).toMatchObject({ status: "sent", households: 4 });
    expect((urgent as { deferredUntil?: Date }).deferredUntil).toBeUndefined();
    if (urgent.status !== "sent") throw new Error("not sent");
    await fannedOut(urgent.notice.id, 5);
    expect((await outboxDelays()).every((d) => d === 0)).toBe(true);
  });

  it("the school's own nightly window from its calendar holds a notice (20:00–07:00 here), not a fixed 21:00–06:30", async () => {
    await db.models.SchoolCalendar.create({ _id: w.schoolId, quietStart: 20 * 60, quietEnd: 7 * 60 });
    clock.set("2026-09-14T13:30:00Z"); // 20:30 local: quiet for this school only
    const teacher = await w.actor(w.identities.teacher);
    const r = await service.create(teacher, draft(), "cal1");
    expect(r).toMatchObject({ status: "sent", deferredUntil: new Date("2026-09-15T00:00:00Z") }); // 15/09 07:00 local
    if (r.status !== "sent") throw new Error("not sent");
    await fannedOut(r.notice.id, 5);
    expect((await outboxDelays()).every((d) => d === 10.5 * 3_600_000)).toBe(true);
  });

  it("a scheduled notice is a delayed job that sends at its time; a cancelled one never sends, even if its job runs", async () => {
    const teacher = await w.actor(w.identities.teacher);
    const sendAt = new Date(clock.now().getTime() + 2 * 3_600_000);
    const a = await service.create(teacher, draft({ sendAt }), "s1");
    const b = await service.create(teacher, draft({ sendAt, text: "Bản sẽ hủy" }), "s2");
    if (a.status !== "scheduled" || b.status !== "scheduled") throw new Error("not scheduled");
    const broadcasts = queues.get(QUEUES.broadcasts);
    const jobA = (await broadcasts.getJob(noticeJobId(a.notice.id)))!;
    expect(jobA.data).toEqual({ noticeId: a.notice.id }); // ids only
    expect(jobA.opts.delay).toBe(2 * 3_600_000);

    expect(await service.cancel(teacher, b.notice.id)).toMatchObject({ status: "cancelled", decided: true });
    expect(await broadcasts.getJob(noticeJobId(b.notice.id))).toBeUndefined();
    // Even its due job, had it been running already, does nothing.
    expect(await h.feature.handlers.due({ noticeId: b.notice.id })).toBe("cancelled");

    clock.set(sendAt);
    await jobA.promote();
    await fannedOut(a.notice.id, 5);
    expect(await deliveriesOf(b.notice.id)).toBe(0);
    expect(await service.cancel(teacher, a.notice.id)).toEqual({ status: "already-sent" });
    // Running the due job again (a retry) hands the same fan-out over: still five deliveries.
    expect(await h.feature.handlers.due({ noticeId: a.notice.id })).toBe("already-sent");
    expect(await h.feature.handlers.fanOut({ noticeId: a.notice.id, round: 0 })).toBe("fanned-out");
    expect(await deliveriesOf(a.notice.id)).toBe(5);
  });

  it("two guardians of one pupil pressing Đã xem at the same moment make one confirmation; re-notify skips confirmed households", async () => {
    const teacher = await w.actor(w.identities.teacher);
    const r = await service.create(teacher, draft({ kind: "ack", deadline: new Date(clock.now().getTime() + 86_400_000) }), "c1");
    if (r.status !== "sent") throw new Error("not sent");
    await fannedOut(r.notice.id, 5);
    const [mom, dad] = [await w.actor(w.identities.guardians[0]!), await w.actor(w.identities.secondGuardian)];
    const results = await Promise.all([service.confirm(mom, r.notice.id, w.students[0]!.id), service.confirm(dad, r.notice.id, w.students[0]!.id)]);
    expect(results.map((x) => x.status).sort()).toEqual(["already", "confirmed"]);
    expect(await N.NoticeConfirmation.countDocuments({ noticeId: r.notice.id })).toBe(1);
    // A guardian cannot confirm for somebody else's child.
    expect(await service.confirm(mom, r.notice.id, w.students[1]!.id)).toEqual({ status: "not-found" });

    // The button's number is the number the re-notify acts on (the same function counts both).
    expect((await service.report(teacher, r.notice.id))!.counts.toRemind).toBe(3);
    const first = await service.renotify(teacher, r.notice.id, 1);
    expect(first).toEqual({ status: "sent", households: 3, round: 1 });
    await fannedOut(r.notice.id, 8);
    const keys = (await db.models.Delivery.find({ _id: /-r1-/ }).lean()).map((d) => d._id);
    expect(keys).toHaveLength(3);
    expect(keys.some((k) => k.includes(w.students[0]!.id))).toBe(false);
    // The same tap again (a stale button for round 1) sends nothing more; round 2 is a new decision.
    expect(await service.renotify(teacher, r.notice.id, 1)).toEqual({ status: "already", households: 3, round: 1 });
    expect(await service.renotify(teacher, r.notice.id, 2)).toMatchObject({ status: "sent", round: 2 });
    await fannedOut(r.notice.id, 11);
    expect(await db.models.Delivery.countDocuments({ _id: /-r2-/ })).toBe(3);
    const report = (await service.report(teacher, r.notice.id))!;
    // Still being sent: none counts as "reached, not confirmed" yet, and the 3 are what a tap would remind.
    expect(report.counts).toMatchObject({ households: 4, confirmed: 1, notConfirmed: 0, pending: 4, toRemind: 3 });
    expect(report.notice.rounds).toBe(2);
  });
});
