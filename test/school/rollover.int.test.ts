/**
 * The year rollover (issue 13) on a seeded lower-secondary school, against the real database and
 * a real outbox queue: classes move up by the school's naming rule (6A1 → 7A1, 8/1 → 9/1), the
 * final grade leaves (marked, never deleted), guardian links stay, homeroom assignments and
 * boards end, the new calendar (Tết from the year table, quiet hours, ladder) is set, last year
 * is archived, and each guardian gets one message — and eight admins applying at once make one
 * rollover.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { Redis } from "ioredis";
import { openDatabase, type Database } from "../../src/store/mongo.js";
import { connectRedis } from "../../src/jobs/redis.js";
import { createQueues, type Queues } from "../../src/jobs/runtime.js";
import { createOutbox } from "../../src/jobs/outbox.js";
import { createDeliveryRepo } from "../../src/store/deliveries.js";
import { registerMeetingModels } from "../../src/store/meeting-models.js";
import { meetingLadderOf } from "../../src/store/meeting-settings.js";
import { createSchoolSettings } from "../../src/store/school-settings.js";
import { Translator } from "../../src/i18n/fluent.js";
import type { Say } from "../../src/engine/say.js";
import { applyRollover, previewRollover, type RolloverDeps } from "../../src/features/school/rollover.js";
import { dropDatabase } from "../support/app-harness.js";
import { FakeClock } from "../support/fakes.js";
import { testConfig } from "../support/test-config.js";
import { expectOneWinner, race, RACE_WIDTH } from "../support/race.js";

describe("year rollover", { timeout: 60_000 }, () => {
  const cleanup: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });

  async function world(timeZone?: string) {
    const config = testConfig("rollover");
    const db: Database = await openDatabase(config.mongo.uri, config.mongo.db);
    cleanup.push(() => dropDatabase(config.mongo.uri, config.mongo.db), () => db.close());
    const redis: Redis = await connectRedis(config.redis.url, false);
    const queues: Queues = createQueues(redis, config.redis.queuePrefix);
    cleanup.push(() => redis.quit(), () => queues.close());
    const { models } = db;
    const clock = new FakeClock(new Date("2026-07-20T03:00:00Z"));
    const meetings = registerMeetingModels(db.conn);
    const deps: RolloverDeps = {
      models, settings: createSchoolSettings(db.conn), meetings, clock, timeZone: "Asia/Ho_Chi_Minh",
      outbox: createOutbox(queues.outbox, createDeliveryRepo(models), () => clock.now()),
    };
    const school = await models.School.create({ name: "THCS Lê Lợi", slug: `ll-${Math.random()}`, ...(timeZone ? { timeZone } : {}) });
    const year = await models.SchoolYear.create({ schoolId: school._id, name: "2025-2026" });
    const cls = async (name: string, grade: number) => models.ClassGroup.create({ schoolId: school._id, yearId: year._id, name, grade });
    const [c6, c8, c9] = [await cls("6A1", 6), await cls("8/1", 8), await cls("9A1", 9)];
    const pupil = async (fullName: string, classGroupId: string) => models.Student.create({ schoolId: school._id, classGroupId, fullName, studentCode: fullName });
    const an = await pupil("Nguyễn Văn An", c6._id), binh = await pupil("Trần Thị Bình", c6._id);
    const chi = await pupil("Lê Minh Chi", c8._id), dung = await pupil("Nguyễn Thu Dung", c9._id), em = await pupil("Phạm Gia Em", c9._id);
    const identity = async (n: string, reachable = true) => models.ChannelIdentity.create({ channel: "telegram", account: "bot", externalUserId: n, chatId: n, reachable });
    const g1 = await identity("501"), g2 = await identity("502"), g3 = await identity("503", false), teacher = await identity("601"), head = await identity("701");
    for (const [g, s] of [[g1, an], [g1, dung], [g2, chi], [g3, binh]] as const) await models.GuardianLink.create({ identityId: g._id, studentId: s._id, schoolId: school._id });
    const staff = await models.Staff.create({ schoolId: school._id, fullName: "Cô Lan" });
    await models.StaffRole.create({ identityId: teacher._id, staffId: staff._id, schoolId: school._id, role: "homeroom-teacher", classGroupId: c6._id });
    await models.StaffRole.create({ identityId: teacher._id, staffId: staff._id, schoolId: school._id, role: "principal" });
    await models.BoardMembership.create({ identityId: head._id, schoolId: school._id, scope: "class", classGroupId: c6._id, position: "head", studentId: an._id });
    await models.BoardMembership.create({ identityId: head._id, schoolId: school._id, scope: "school", position: "deputy", studentId: an._id });
    await models.SchoolCalendar.create({ _id: school._id, quietStart: 1290, quietEnd: 360 });
    const future = new Date("2027-07-01T00:00:00Z");
    await models.InviteCode.create({ _id: "HOMEROOM6A1", schoolId: school._id, grant: { kind: "staff", role: "homeroom-teacher", staffId: staff._id, classGroupId: c6._id }, expiresAt: future });
    await models.InviteCode.create({ _id: "BOARD6A1", schoolId: school._id, grant: { kind: "board", scope: "class", position: "member", classGroupId: c6._id, studentId: binh._id }, expiresAt: future });
    await models.InviteCode.create({ _id: "GUARDIANAN", schoolId: school._id, grant: { kind: "guardian", studentId: an._id }, slots: 2, expiresAt: future });
    return { models, deps, meetings, schoolId: school._id, year, ids: { c6, c8, c9, an, binh, chi, dung, em, g1, g2, g3 } };
  }

  const rendered = (messages: string) => (JSON.parse(messages) as Say[]).map((s) => new Translator("Asia/Ho_Chi_Minh").render("vi", s)).map((o) => ("text" in o ? o.text : "")).join("\n");

  it("previews every class move and leaver, then applies them once with the new calendar and one message per guardian", async () => {
    const { models, deps, meetings, schoolId, year, ids } = await world();
    const plan = await previewRollover(deps, schoolId);
    if ("error" in plan) throw new Error(plan.error);
    expect(plan.to.name).toBe("2026-2027");
    expect(plan.moves.map((m) => [m.fromName, m.toName, m.studentIds.length])).toEqual([["6A1", "7A1", 2], ["8/1", "9/1", 1]]);
    expect(plan.leavers.map((l) => [l.className, l.name])).toEqual([["9A1", "Nguyễn Thu Dung"], ["9A1", "Phạm Gia Em"]]);
    expect(plan.finalGrade).toBe(9);
    expect(plan.calendar.holidays).toContain("2027-02-06");
    expect([plan.homerooms, plan.boardSeats]).toEqual([1, 2]);
    // The preview writes nothing.
    expect(await models.SchoolYear.countDocuments({ schoolId })).toBe(1);

    const r = await applyRollover(deps, schoolId, { toYearName: "2026-2027", actor: "admin-1", fingerprint: plan.fingerprint });
    expect(r).toMatchObject({ status: "applied", messages: 2 });
    const next = (await models.SchoolYear.findOne({ schoolId, name: "2026-2027" }).lean())!;
    expect((await models.SchoolYear.findById(year._id).lean())!.archived).toBe(true);
    const classes = await models.ClassGroup.find({ yearId: next._id }).lean();
    expect(classes.map((c) => [c.name, c.grade]).sort()).toEqual([["7A1", 7], ["9/1", 9]]);
    const classOf = async (id: string) => (await models.ClassGroup.findById((await models.Student.findById(id).lean())!.classGroupId).lean())!.name;
    expect([await classOf(ids.an._id), await classOf(ids.binh._id), await classOf(ids.chi._id)]).toEqual(["7A1", "7A1", "9/1"]);
    const left = await models.Student.find({ _id: { $in: [ids.dung._id, ids.em._id] } }).lean();
    expect(left.map((s) => s.leftAt instanceof Date)).toEqual([true, true]);
    expect(await models.Student.countDocuments({ schoolId })).toBe(5);
    expect(await models.GuardianLink.countDocuments({ schoolId })).toBe(4);
    expect(await models.StaffRole.find({ schoolId }).lean()).toMatchObject([{ role: "principal" }]);
    expect(await models.BoardMembership.countDocuments({ schoolId })).toBe(0);
    // Unused homeroom and board codes of last year end with their seats; guardian codes stay.
    expect((await models.InviteCode.find({ schoolId }).sort({ _id: 1 }).lean()).map((c) => [c._id, c.revoked])).toEqual([["BOARD6A1", true], ["GUARDIANAN", false], ["HOMEROOM6A1", true]]);
    const cal = (await models.SchoolCalendar.findById(`${schoolId}#2026-2027`).lean())!;
    expect(cal.holidays).toEqual(expect.arrayContaining(["2027-02-06", "2027-01-01", "2027-04-30"]));
    expect([cal.quietStart, cal.quietEnd]).toEqual([1290, 360]);
    expect(await meetingLadderOf(meetings, schoolId)).toHaveLength(3);

    const deliveries = await models.Delivery.find({ _id: /^roll-/ }).lean();
    expect(deliveries.map((d) => d.identityId).sort()).toEqual([ids.g1._id, ids.g2._id].sort());
    const toG1 = rendered(deliveries.find((d) => d.identityId === ids.g1._id)!.messages);
    expect(toG1).toContain("Kính gửi Quý phụ huynh");
    expect(toG1).toContain("Nguyễn Văn An (7A1)");
    expect(toG1).toContain("Con Nguyễn Thu Dung đã hoàn thành chương trình");
    expect(rendered(deliveries.find((d) => d.identityId === ids.g2._id)!.messages)).toContain("Lê Minh Chi (9/1)");

    // Applying again changes nothing and tells nobody twice.
    expect(await applyRollover(deps, schoolId, { toYearName: "2026-2027", actor: "admin-2" })).toMatchObject({ status: "already", actor: "admin-1" });
    expect(await applyRollover(deps, schoolId, { actor: "admin-2" })).toMatchObject({ status: "too-early" });
    expect(await models.Delivery.countDocuments({ _id: /^roll-/ })).toBe(2);
    expect(await models.ClassGroup.countDocuments({ schoolId })).toBe(5);
  });

  it("a school in its own zone (Asia/Tokyo) holds the guardians' messages through its own night and stamps its zone on them", async () => {
    const { models, deps, schoolId } = await world("Asia/Tokyo");
    (deps.clock as FakeClock).set("2026-07-20T13:00:00Z"); // 22:00 in Tokyo (its night from 21:30), 20:00 in Hà Nội
    const plan = await previewRollover(deps, schoolId);
    if ("error" in plan) throw new Error(plan.error);
    expect(await applyRollover(deps, schoolId, { toYearName: "2026-2027", actor: "admin-1", fingerprint: plan.fingerprint })).toMatchObject({ status: "applied", messages: 2 });
    const deliveries = await models.Delivery.find({ _id: /^roll-/ }).lean();
    expect(deliveries.map((d) => d.timeZone)).toEqual(["Asia/Tokyo", "Asia/Tokyo"]);
    const due = await models.OpenDelivery.find({ _id: { $in: deliveries.map((d) => d._id) } }).lean();
    expect(due.map((d) => d.dueAt)).toEqual([new Date("2026-07-20T21:00:00Z"), new Date("2026-07-20T21:00:00Z")]); // 21/07 06:00 in Tokyo
  });

  it("a stale preview is refused; a school's naming rule and final grade are its own", async () => {
    const { models, deps, schoolId, ids } = await world();
    const plan = await previewRollover(deps, schoolId);
    if ("error" in plan) throw new Error(plan.error);
    await models.Student.create({ schoolId, classGroupId: ids.c6._id, fullName: "Hồ Mới Đến", studentCode: "new" });
    expect(await applyRollover(deps, schoolId, { toYearName: "2026-2027", actor: "a", fingerprint: plan.fingerprint })).toMatchObject({ status: "changed" });
    await deps.settings.set(schoolId, { classNaming: "{grade}/{n}", finalGrade: 12 });
    const again = await previewRollover(deps, schoolId);
    if ("error" in again) throw new Error(again.error);
    expect(again.moves.map((m) => m.toName)).toEqual(["7/1", "9/1", "10/1"]);
    expect(again.leavers).toEqual([]);
  });

  it("eight admins applying at once make one rollover", async () => {
    const { models, deps, schoolId } = await world();
    const results = await race(RACE_WIDTH, (i) => applyRollover(deps, schoolId, { toYearName: "2026-2027", actor: `admin-${i}` }));
    expectOneWinner(results, (r) => "status" in r && r.status === "applied");
    expect(results.every((r) => "status" in r && (r.status === "applied" || r.status === "already"))).toBe(true);
    const next = (await models.SchoolYear.find({ schoolId, name: "2026-2027" }).lean());
    expect(next).toHaveLength(1);
    expect(await models.ClassGroup.countDocuments({ yearId: next[0]!._id })).toBe(2);
    expect(await models.Delivery.countDocuments({ _id: /^roll-/ })).toBe(2);
    expect(await models.AuditLog.countDocuments({ action: "year-rollover", subject: schoolId })).toBe(1);
  });
});
