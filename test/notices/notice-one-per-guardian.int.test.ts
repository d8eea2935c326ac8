import { describe, it, expect, beforeEach, afterEach } from "vitest";
import { eventually } from "../support/eventually.js";
import { noticeGroup, type Notices } from "../../src/features/notices/index.js";
import { seedNoticeWorld, type NoticeWorld } from "./support/notice-fixture.js";
import { startNoticeHarness, type NoticeHarness } from "./support/notice-harness.js";

describe("one message per guardian", () => {
  let h: NoticeHarness, w: NoticeWorld, service: Notices["port"];
  beforeEach(async () => {
    h = await startNoticeHarness("notice-one-msg");
    service = h.feature.port;
    w = await seedNoticeWorld(h.db.models, { account: "bot", students: 3, guardianBase: 7000, teacherUserId: "1", principalUserId: "2" });
    // The second guardian of pupil 0 is also pupil 2's guardian: two children in a school-wide notice.
    await h.db.models.GuardianLink.create({ identityId: w.identities.secondGuardian, studentId: w.students[2]!.id, schoolId: w.schoolId });
    await h.startWorker();
  });
  afterEach(async () => { await h.stop(); });

  it("a guardian with two children in a school-wide notice gets ONE message naming both, with a 'Đã xem' per child; the report finds both households", async () => {
    const principal = await w.actor(w.identities.principal);
    const r = await service.create(principal, {
      schoolId: w.schoolId, scope: { kind: "school" }, kind: "ack", text: "Nghỉ lễ", urgent: false, deadline: new Date(h.clock.now().getTime() + 86_400_000),
    }, "one-msg-1");
    if (r.status !== "sent") throw new Error(r.status);
    const group = noticeGroup(r.notice.id);
    // Guardians: three of pupils 0-2 and the second guardian (both of whose children are in scope): four messages, not five.
    await eventually(async () => (await h.db.models.Delivery.countDocuments({ group })) === 4);
    const toSecond = await h.db.models.Delivery.find({ group, identityId: w.identities.secondGuardian }).lean();
    expect(toSecond).toHaveLength(1);
    const [message] = JSON.parse(toSecond[0]!.messages) as { args: { student: string }; buttons: { args?: { student: string }; payload: string }[][] }[];
    expect(message!.args.student.split(", ").sort()).toEqual([w.students[0]!.name, w.students[2]!.name].sort());
    expect(message!.buttons.flat().map((b) => b.args?.student).sort()).toEqual([w.students[0]!.name, w.students[2]!.name].sort());
    // The report finds the combined delivery under each child: every household is on its way, none "unreachable".
    const report = (await service.report(principal, r.notice.id))!;
    expect(report.rows.map((x) => x.reach)).toEqual(["pending", "pending", "pending"]);
    // Re-running the fan-out (a retry) sends nobody twice.
    await h.deps.jobs.fanOut(r.notice.id, 0);
    expect(await h.db.models.Delivery.countDocuments({ group })).toBe(4);
  });
});
