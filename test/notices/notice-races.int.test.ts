/**
 * Contested notice changes on the real server, K = 8 attempts at once (the race kit):
 * a cancel at the moment the scheduled notice falls due, and two people tapping *Nhắc lại*.
 */
import { describe, it, expect, beforeEach, afterEach } from "vitest";
import { eventually } from "../support/eventually.js";
import { race, expectOneWinner, RACE_WIDTH } from "../support/race.js";
import { QUEUES } from "../../src/jobs/queues.js";
import { noticeFanOutJobId } from "../../src/jobs/notice-jobs.js";
import { noticeGroup } from "../../src/features/notices/index.js";
import { dispatchFactId, fanOutFactId } from "../../src/features/notices/deps.js";
import type { CancelResult, NoticeDraft, RenotifyResult } from "../../src/features/notices/port.js";
import type { DueOutcome } from "../../src/features/notices/dispatch.js";
import { seedNoticeWorld, type NoticeWorld } from "./support/notice-fixture.js";
import { startNoticeHarness, type NoticeHarness } from "./support/notice-harness.js";

describe("notice races on real FerretDB, Redis and BullMQ", () => {
  let h: NoticeHarness, w: NoticeWorld;

  beforeEach(async () => {
    h = await startNoticeHarness("notice-race");
    w = await seedNoticeWorld(h.db.models, { account: "bot", students: 4, guardianBase: 5000, teacherUserId: "1", principalUserId: "2" });
    await h.startWorker();
  });
  afterEach(async () => {
    await h.stop();
  });

  const draft = (over: Partial<NoticeDraft> = {}): NoticeDraft => ({
    schoolId: w.schoolId, scope: { kind: "class", classGroupId: w.classId }, kind: "info", text: "Thông báo lịch học bù", urgent: false, ...over,
  });
  const deliveriesOf = (noticeId: string) => h.db.models.Delivery.countDocuments({ group: noticeGroup(noticeId) });

  it("a teacher cancels a scheduled notice at the moment it falls due: either it went out and every cancel says so, or nobody gets it and the teacher is told it was cancelled", async () => {
    const teacher = await w.actor(w.identities.teacher);
    for (let trial = 0; trial < 4; trial++) {
      h.clock.set("2026-09-14T02:00:00Z");
      const sendAt = new Date(h.clock.now().getTime() + 3_600_000);
      const created = await h.feature.port.create(teacher, draft({ sendAt, text: `Lịch học bù số ${trial}` }), `race-cancel-${trial}`);
      if (created.status !== "scheduled") throw new Error(`not scheduled: ${created.status}`);
      const id = created.notice.id;
      h.clock.set(sendAt);
      // Half the attempts are the teacher's cancel (two devices, a double tap), half the due job (a retry, a second worker).
      const results = await race<CancelResult | DueOutcome>(RACE_WIDTH, (i) =>
        (i + trial) % 2 === 0 ? h.feature.port.cancel(teacher, id) : h.feature.handlers.due({ noticeId: id }) as Promise<DueOutcome>);
      const winner = results[expectOneWinner(results, (r) => r === "sent" || (typeof r === "object" && r.status === "cancelled" && r.decided))]!;
      const fact = (await h.db.models.Transition.findById(dispatchFactId(id)).lean())!;
      const summary = (await h.N.Notice.findById(id).lean())!;
      const cancels = results.filter((r): r is CancelResult => typeof r === "object");
      const dues = results.filter((r): r is DueOutcome => typeof r === "string");
      if (winner === "sent") {
        expect(fact.kind).toBe("sent");
        expect(summary.status).toBe("sent");
        // Every cancel tells the teacher it already went out, and it does go out, to everyone, once.
        expect(cancels.map((c) => c.status)).toEqual(cancels.map(() => "already-sent"));
        expect(dues.filter((d) => d === "cancelled")).toEqual([]);
        await eventually(async () => !!(await h.db.models.Transition.findById(fanOutFactId(id, 0)).lean()), { message: "fan-out finished" });
        expect(await deliveriesOf(id)).toBe(5);
      } else {
        expect(fact.kind).toBe("cancelled");
        expect(summary.status).toBe("cancelled");
        expect(cancels.every((c) => c.status === "cancelled")).toBe(true);
        expect(dues).toEqual(dues.map(() => "cancelled"));
        // Nothing was handed to a fan-out, so nobody receives it.
        expect(await h.queues.get(QUEUES.broadcasts).getJob(noticeFanOutJobId(id, 0))).toBeUndefined();
        expect(await deliveriesOf(id)).toBe(0);
      }
    }
  });

  it("two people tap Nhắc lại on the same report at once (K = 8): one round is decided and sent once", async () => {
    const teacher = await w.actor(w.identities.teacher);
    const principal = await w.actor(w.identities.principal);
    const created = await h.feature.port.create(teacher, draft({ kind: "ack", deadline: new Date("2026-09-18T10:00:00Z") }), "race-renotify");
    if (created.status !== "sent") throw new Error("not sent");
    const id = created.notice.id;
    await eventually(async () => (await deliveriesOf(id)) === 5, { message: "round 0 fanned out" });

    const results = await race<RenotifyResult>(RACE_WIDTH, (i) => h.feature.port.renotify(i % 2 ? principal : teacher, id, 1));
    expectOneWinner(results, (r) => r.status === "sent");
    expect(results.map((r) => (r as RenotifyResult).status).sort()).toEqual([...Array(RACE_WIDTH - 1).fill("already"), "sent"].sort());
    expect(await h.N.NoticeRound.countDocuments({ noticeId: id })).toBe(1);
    await eventually(async () => !!(await h.db.models.Transition.findById(fanOutFactId(id, 1)).lean()), { message: "round 1 fanned out" });
    // Four households, pupil 0 with two guardians: five reminders, each once, and no round 2.
    expect(await h.db.models.Delivery.countDocuments({ _id: new RegExp(`^n-${id}-r1-`) })).toBe(5);
    expect(await h.db.models.Delivery.countDocuments({ _id: new RegExp(`^n-${id}-r2-`) })).toBe(0);
    expect((await h.feature.port.report(teacher, id))!.notice.rounds).toBe(1);
  });
});
