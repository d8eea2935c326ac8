/**
 * The console's reports (issue 13) on a seeded school: class 6A1 has four pupils, three with a
 * linked guardian (the notice fixture); a class notice sent through the notices feature and
 * delivered by a real outbox worker; a held class meeting with answers and attendance; three
 * concerns; a visible class poll with two votes. The figures per class, a teacher's session
 * limited to their class, and the XLSX / CSV exports read back.
 */
import { afterEach, describe, expect, it } from "vitest";
import ExcelJS from "exceljs";
import { parse } from "csv-parse/sync";
import { eventually } from "../support/eventually.js";
import { startOutboxWorker } from "../../src/jobs/outbox.js";
import { connectRedis } from "../../src/jobs/redis.js";
import { createDeliveryRepo } from "../../src/store/deliveries.js";
import { registerMeetingModels } from "../../src/store/meeting-models.js";
import { registerPollModels } from "../../src/store/poll-models.js";
import { registerConcernModels } from "../../src/store/concern-models.js";
import { Translator } from "../../src/i18n/fluent.js";
import { fanOutFactId } from "../../src/features/notices/deps.js";
import { classReports, reportCsv, reportXlsx, type ReportDeps } from "../../src/features/console/reports.js";
import type { ConsoleSession } from "../../src/features/console/sign-in.js";
import { startNoticeHarness, type NoticeHarness } from "../notices/support/notice-harness.js";
import { seedNoticeWorld } from "../notices/support/notice-fixture.js";

describe("console reports on a seeded school", () => {
  let h: NoticeHarness | undefined;
  const closeLater: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const close of closeLater.splice(0)) await close();
    await h?.stop();
  });

  it("counts households, notices, meetings, concerns and polls per class from the features' reports", async () => {
    h = await startNoticeHarness("console-reports");
    const harness = h;
    const { models } = harness.db;
    const w = await seedNoticeWorld(models, { account: "bot", students: 4, guardianBase: 7_300_000, teacherUserId: "7300901", principalUserId: "7300902", withoutGuardian: 1 });
    const deps: ReportDeps = {
      models, clock: harness.clock, notices: harness.N, meetings: registerMeetingModels(harness.db.conn),
      polls: registerPollModels(harness.db.conn), concerns: registerConcernModels(harness.db.conn),
    };

    // A class notice to confirm, fanned out and delivered by a real outbox worker; one household confirms.
    const teacher = await w.actor(w.identities.teacher);
    const r = await harness.feature.port.create(teacher, { schoolId: w.schoolId, scope: { kind: "class", classGroupId: w.classId }, kind: "ack", deadline: new Date("2026-09-18T10:00:00Z"), urgent: false, text: "Họp phụ huynh" }, "rep-1");
    if (r.status !== "sent") throw new Error(`not sent: ${r.status}`);
    const outboxRedis = await connectRedis(harness.config.redis.url, true);
    const outboxWorker = startOutboxWorker({
      connection: outboxRedis, prefix: harness.config.redis.queuePrefix, repo: createDeliveryRepo(models), translator: new Translator(),
      senders: { telegram: { send: async () => {} } }, ratePerSecond: 10_000, concurrency: 4, onUnreachable: async () => {}, logger: { info: () => {}, warn: () => {} },
    });
    closeLater.push(() => outboxWorker.close(), () => outboxRedis.quit());
    await harness.startWorker();
    await eventually(async () => !!(await models.Transition.findById(fanOutFactId(r.notice.id, 0)).lean()), { timeoutMs: 60_000, message: "fan-out finished" });
    const confirmed = await harness.feature.port.confirm(await w.actor(w.identities.guardians[1]!), r.notice.id, w.students[1]!.id);
    expect(confirmed).toBeTruthy();
    const principalSession: ConsoleSession = { id: "s1", csrf: "x", schoolId: w.schoolId, identityId: w.identities.principal, role: "principal", classGroupId: "" };
    await eventually(async () => (await classReports(deps, principalSession))[0]!.notices.reached === 3, { timeoutMs: 60_000, message: "three households reached" });

    // A held class meeting: two households said yes, one of them came, one said no.
    const at = harness.clock.now();
    await deps.meetings.Meeting.create({ _id: "m1", schoolId: w.schoolId, scope: "class", classGroupId: w.classId, kind: "regular", startsAt: at, status: "held", organizerIdentityId: w.identities.teacher });
    await deps.meetings.MeetingRsvp.insertMany([
      { _id: "a0", meetingId: "m1", studentId: w.students[0]!.id, seq: 1, answer: "yes", at },
      { _id: "a1", meetingId: "m1", studentId: w.students[1]!.id, seq: 1, answer: "no", at },
      { _id: "a1b", meetingId: "m1", studentId: w.students[1]!.id, seq: 2, answer: "yes", at },
      { _id: "a2", meetingId: "m1", studentId: w.students[2]!.id, seq: 1, answer: "no", at },
    ]);
    await deps.meetings.MeetingAttendance.insertMany([
      { _id: "p0", meetingId: "m1", studentId: w.students[0]!.id, present: true, at },
      { _id: "p1", meetingId: "m1", studentId: w.students[1]!.id, present: false, at },
    ]);
    // Concerns: first responses after 30 and 90 minutes (median 60), one unanswered, two escalations.
    const concern = (i: number, category: string, minutes: number | undefined, escalations: number) => ({
      _id: `c${i}`, schoolId: w.schoolId, seq: i, number: `PA-${i}`, eventId: `ev-${i}`, studentId: w.students[i]!.id, classGroupId: w.classId,
      guardianIdentityId: w.identities.guardians[i]!, category, status: "open", escalations, createdAt: at, updatedAt: at,
      ...(minutes === undefined ? {} : { firstResponseAt: new Date(at.getTime() + minutes * 60_000) }),
    });
    await deps.concerns.Concern.insertMany([concern(0, "hoc-tap", 30, 0), concern(1, "hoc-tap", 90, 2), concern(2, "ban-tru", undefined, 0)]);
    // A visible class poll with two votes for option 0 (the household's latest press counts).
    await deps.polls.Poll.create({ _id: "p1", schoolId: w.schoolId, scope: "class", classGroupId: w.classId, question: "Đi tham quan?", options: ["Có", "Không"],
      anonymity: "visible", closesAt: new Date(at.getTime() + 86_400_000), organizerIdentityId: w.identities.teacher, studentIds: w.students.map((s) => s.id), createdAt: at });
    await deps.polls.PollVote.insertMany([
      { _id: "p1-v0-1", pollId: "p1", voterKey: "v0", n: 1, chosen: [1], studentId: w.students[0]!.id, by: "g0" },
      { _id: "p1-v0-2", pollId: "p1", voterKey: "v0", n: 2, chosen: [0], studentId: w.students[0]!.id, by: "g0" },
      { _id: "p1-v1-1", pollId: "p1", voterKey: "v1", n: 1, chosen: [0], studentId: w.students[1]!.id, by: "g1" },
    ]);

    const [a1, a2] = await classReports(deps, principalSession);
    expect(a1).toMatchObject({
      name: "6A1",
      households: { linked: 3, pupils: 4 },
      notices: { notices: 1, households: 4, reached: 3, confirmed: 1 },
      meetings: { meetings: 1, invited: 4, attending: 2, attended: 1 },
      concerns: { total: 3, byCategory: { "hoc-tap": 2, "ban-tru": 1 }, medianFirstResponseMinutes: 60, escalations: 2 },
      polls: [{ question: "Đi tham quan?", counts: [2, 0], voted: 2, households: 4 }],
    });
    expect(a2).toMatchObject({ name: "6A2", households: { linked: 0, pupils: 0 }, notices: { notices: 0 }, concerns: { total: 0 }, polls: [] });

    // A homeroom teacher's session: their class only.
    const teacherSession: ConsoleSession = { ...principalSession, identityId: w.identities.teacher, role: "homeroom-teacher", classGroupId: w.classId };
    expect((await classReports(deps, teacherSession)).map((c) => c.name)).toEqual(["6A1"]);

    // Exports: one sheet per section, and the same figures in the CSV.
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await reportXlsx([a1!, a2!])) as unknown as ArrayBuffer);
    expect(book.worksheets.map((s) => s.name)).toEqual(["Liên kết", "Thông báo", "Họp", "Phản ánh", "Khảo sát"]);
    expect(book.getWorksheet("Thông báo")!.getRow(2).values).toEqual([undefined, "6A1", 1, 4, 3, 1]);
    const csv = parse(reportCsv([a1!, a2!]), { bom: true, relax_column_count: true }) as string[][];
    expect(csv).toContainEqual(["Phản ánh", "6A1", "Tất cả", "3", "60", "2"]);
    // Counts only: no concern's contents or guardian's identity reach the export.
    expect(reportCsv([a1!, a2!])).not.toContain(w.identities.guardians[0]!);
  });
});
