/**
 * Staff and boards (issue 13) against the real MongoDB-compatible server: a mid-year homeroom
 * change (its race, what moves, who keeps access), class and school boards (their rules, their
 * race, terms ending with the year), and a student's code revoked and reissued (its race; the
 * old code no longer redeems).
 */
import { describe, expect, it } from "vitest";
import { rolesOf } from "../../src/store/directory.js";
import { teachesClass } from "../../src/domain/roles.js";
import { seedDemo } from "../../src/features/school/demo.js";
import { createSchoolAdmin } from "../../src/features/school/admin.js";
import { createLinking } from "../../src/features/linking/index.js";
import { mayOrganize, type MeetingDoc } from "../../src/features/meetings/deps.js";
import { homeroomTeachers } from "../../src/features/concerns/context.js";
import { redeemConsoleLink, issueConsoleLink, sessionOf } from "../../src/features/console/sign-in.js";
import { assignHomeroom, currentHomeroom } from "../../src/features/staff/homeroom.js";
import { listStaff } from "../../src/features/staff/staff.js";
import { reissueStudentCode, revokeStudentCodes } from "../../src/features/staff/codes.js";
import { classBoardCandidates, recordClassBoard, recordSchoolBoard, schoolBoardCandidates, type BoardSeat } from "../../src/features/boards/boards.js";
import { testConfig } from "../support/test-config.js";
import { FakeClock } from "../support/fakes.js";
import { useStaffDeps } from "../support/staff-deps.js";
import { expectOneWinner, race, RACE_WIDTH } from "../support/race.js";

describe("staff, boards and codes (issue 13)", { timeout: 60_000 }, () => {
  const config = testConfig("staff-boards");
  const clock = new FakeClock(new Date("2026-12-14T03:00:00Z"));
  const h = useStaffDeps(config, clock);
  const { db, sent } = h;

  /** A demo school of its own, its people linked as web users `<people>-teacher`, … */
  const school = async (people: string) => {
    const demo = await seedDemo(db.models, { ttlDays: 30, account: "web", slug: `sb-${people}`, people });
    const id = async (who: string) => (await db.models.ChannelIdentity.findOne({ channel: "web", account: "web", externalUserId: `${people}-${who}` }).lean())!._id;
    return { demo, classId: demo.classes[0]!.id, teacher: await id("teacher"), principal: await id("principal"), guardian: await id("guardian"), board: await id("board") };
  };
  /** A staff member linked on a messenger (holding some role already), returning their identity. */
  const linkedStaff = async (schoolId: string, name: string, role = "admin") => {
    const staff = await createSchoolAdmin(db.models).addStaff({ schoolId, fullName: name, title: "Cô" });
    const identity = await db.models.ChannelIdentity.create({ channel: "web", account: "web", externalUserId: `staff-${staff._id}`, chatId: `staff-${staff._id}`, displayName: name });
    await db.models.StaffRole.create({ identityId: identity._id, staffId: staff._id, schoolId, role, classGroupId: "" });
    return { staffId: staff._id, identityId: identity._id };
  };

  it("of eight admins changing one class's teacher at once, one wins; the old teacher loses the class, its meetings and its console session at once", async () => {
    const s = await school("hr1");
    const { schoolId } = s.demo;
    const candidates = await Promise.all(Array.from({ length: RACE_WIDTH }, (_, i) => linkedStaff(schoolId, `Giáo viên ${i}`)));
    // What moves: an open concern of the class, a draft and a published meeting the old teacher organized.
    await h.deps.concerns.Concern.create({ _id: "c-hr1", schoolId, seq: 1, number: "PA-1", eventId: "e-hr1", studentId: "x", classGroupId: s.classId, guardianIdentityId: s.guardian, category: "study", status: "open", createdAt: clock.now(), updatedAt: clock.now() });
    const meeting = (id: string, status: string): Partial<MeetingDoc> => ({ _id: id, schoolId, scope: "class", classGroupId: s.classId, kind: "start-of-year", startsAt: new Date("2026-12-20T01:00:00Z"), status, organizerIdentityId: s.teacher, version: 1 });
    await h.deps.meetings.Meeting.create([meeting("m-draft", "draft"), meeting("m-pub", "published")]);
    const link = await issueConsoleLink(db.models, { schoolId, identityId: s.teacher, role: "homeroom-teacher", classGroupId: s.classId }, "http://x", clock.now());
    const signedIn = await redeemConsoleLink(db.models, new URL(link.url).searchParams.get("t")!, clock.now());
    if (signedIn.status !== "ok") throw new Error("no session");
    const teacherRolesBefore = await rolesOf(db.models, s.teacher);
    expect(teachesClass(teacherRolesBefore, s.classId)).toBe(true);
    const seen = (await currentHomeroom(h.deps, s.classId)).version;

    const results = await race(RACE_WIDTH, (i) => assignHomeroom(h.deps, { schoolId, classGroupId: s.classId, staffId: candidates[i]!.staffId, by: s.principal, seen }));
    const w = expectOneWinner(results, (r) => r.status === "assigned");
    expect(results.filter((r) => "status" in r && r.status === "changed-meanwhile")).toHaveLength(RACE_WIDTH - 1);
    const winner = candidates[w]!;
    expect(results[w]).toMatchObject({ status: "assigned", concerns: 1, meetings: 2, told: true });

    const oldRoles = await rolesOf(db.models, s.teacher);
    expect(teachesClass(oldRoles, s.classId)).toBe(false);
    const newRoles = await rolesOf(db.models, winner.identityId);
    expect(teachesClass(newRoles, s.classId)).toBe(true);
    for (const c of candidates.filter((_, i) => i !== w)) expect(teachesClass(await rolesOf(db.models, c.identityId), s.classId)).toBe(false);
    // Concerns are routed to the class's teacher: now the new one only.
    expect(await homeroomTeachers({ models: db.models } as never, s.classId)).toEqual([winner.identityId]);
    // Meetings: the draft's organizer moved (a meeting transition); both belong to the new teacher, neither to the old one.
    const [draft, pub] = (await h.deps.meetings.Meeting.find({ _id: { $in: ["m-draft", "m-pub"] } }).sort({ _id: 1 }).lean()) as MeetingDoc[];
    expect(draft!.organizerIdentityId).toBe(winner.identityId);
    expect(pub!.version).toBe(1);
    for (const m of [draft!, pub!]) {
      expect(mayOrganize({ identityId: s.teacher, roles: oldRoles }, m)).toBe(false);
      expect(mayOrganize({ identityId: winner.identityId, roles: newRoles }, m)).toBe(true);
    }
    // Told in the bot: the new teacher with the counts, the old one that the class moved on.
    const told = sent.filter((x) => x.group === `hrt-${s.classId}`);
    expect(told.map((x) => x.item.messages[0]!.key).sort()).toEqual(["staff-homeroom-assigned", "staff-homeroom-ended"]);
    expect(told.find((x) => x.item.messages[0]!.key === "staff-homeroom-assigned")!.item.messages[0]!.args).toMatchObject({ concerns: 1, meetings: 2, className: "6A1" });
    // The old teacher's console session is gone.
    expect(await sessionOf(db.models, signedIn.cookie, clock.now())).toBeUndefined();
    expect((await listStaff(h.deps, schoolId)).find((r) => r.id === winner.staffId)!.homeroomOf).toEqual(["6A1"]);
  });

  it("a teacher not linked yet gets a homeroom code; the replaced teacher's unused code is revoked", async () => {
    const s = await school("hr2");
    const { schoolId } = s.demo;
    const fresh = await createSchoolAdmin(db.models).addStaff({ schoolId, fullName: "Lê Thị Hoa", title: "Cô" });
    const r = await assignHomeroom(h.deps, { schoolId, classGroupId: s.classId, staffId: fresh._id, by: s.principal });
    if (r.status !== "assigned") throw new Error(r.status);
    expect(r.code).toMatch(/^[0-9A-Z]{13}$/);
    expect(r.told).toBe(false);
    // The demo's own homeroom code for the replaced teacher no longer redeems.
    expect((await db.models.InviteCode.findById(s.demo.codes.homeroomTeacher.code).lean())!.revoked).toBe(true);
    const linked = await createLinking(db.models, clock).redeem({ code: r.code!, address: { channel: "web", account: "web", userId: "hoa", chatId: "hoa" }, locale: "vi", consentVersion: "v1", eventId: "e-hoa" });
    expect(linked.status).toBe("linked");
    const hoa = (await db.models.ChannelIdentity.findOne({ externalUserId: "hoa" }).lean())!._id;
    expect(teachesClass(await rolesOf(db.models, hoa), s.classId)).toBe(true);
    expect(await assignHomeroom(h.deps, { schoolId, classGroupId: s.classId, staffId: fresh._id, by: s.principal })).toEqual({ status: "unchanged" });
    // A rollover that clears homeroom roles: the same teacher assigned again is a new assignment, not "unchanged".
    await db.models.StaffRole.deleteMany({ role: "homeroom-teacher", classGroupId: s.classId });
    expect(teachesClass(await rolesOf(db.models, hoa), s.classId)).toBe(false);
    const again = await assignHomeroom(h.deps, { schoolId, classGroupId: s.classId, staffId: fresh._id, by: s.principal });
    if (again.status !== "assigned" || !again.code) throw new Error(`expected a new assignment with a code: ${JSON.stringify(again)}`);
    expect(again.version).toBe(2);
    const relinked = await createLinking(db.models, clock).redeem({ code: again.code, address: { channel: "web", account: "web", userId: "hoa", chatId: "hoa" }, locale: "vi", consentVersion: "v1", eventId: "e-hoa-2" });
    expect(relinked.status).toBe("linked");
    expect(teachesClass(await rolesOf(db.models, hoa), s.classId)).toBe(true);
  });

  it("a class board needs 3–5 of the class's guardians with one head and one deputy; of eight records at once one is kept, its members told", async () => {
    const s = await school("bd1");
    const { schoolId } = s.demo;
    // Three more guardians of 6A1 (the demo links two).
    const pupils = await db.models.Student.find({ classGroupId: s.classId }).sort({ studentCode: 1 }).lean();
    for (const [i, p] of pupils.slice(2).entries()) {
      const g = await db.models.ChannelIdentity.create({ channel: "web", account: "web", externalUserId: `bd1-g${i}`, chatId: `bd1-g${i}`, displayName: `Phụ huynh ${i}` });
      await db.models.GuardianLink.create({ identityId: g._id, studentId: p._id, schoolId });
    }
    const cands = await classBoardCandidates(h.deps, s.classId);
    expect(cands).toHaveLength(5);
    const seat = (i: number, position: BoardSeat["position"]): BoardSeat => ({ identityId: cands[i]!.identityId, studentId: cands[i]!.studentId, position });
    expect(await recordClassBoard(h.deps, { schoolId, classGroupId: s.classId, seats: [seat(0, "head"), seat(1, "deputy")], by: s.teacher })).toEqual({ status: "invalid", problem: "size" });
    expect(await recordClassBoard(h.deps, { schoolId, classGroupId: s.classId, seats: [seat(0, "head"), seat(1, "head"), seat(2, "deputy")], by: s.teacher })).toEqual({ status: "invalid", problem: "head" });
    expect(await recordClassBoard(h.deps, { schoolId, classGroupId: s.classId, seats: [seat(0, "head"), seat(1, "member"), seat(2, "member")], by: s.teacher })).toEqual({ status: "invalid", problem: "deputy" });
    const stranger = { identityId: s.principal, studentId: cands[0]!.studentId, position: "member" as const };
    expect(await recordClassBoard(h.deps, { schoolId, classGroupId: s.classId, seats: [seat(0, "head"), seat(1, "deputy"), stranger], by: s.teacher })).toEqual({ status: "invalid", problem: "not-eligible" });

    // Eight lists at once (each a different head): one is kept.
    const lists = Array.from({ length: RACE_WIDTH }, (_, i) => [seat(i % 5, "head"), seat((i + 1) % 5, "deputy"), seat((i + 2) % 5, "member")]);
    const results = await race(RACE_WIDTH, (i) => recordClassBoard(h.deps, { schoolId, classGroupId: s.classId, seats: lists[i]!, by: s.teacher, seen: 0 }));
    const w = expectOneWinner(results, (r) => r.status === "recorded");
    const kept = await db.models.BoardMembership.find({ schoolId, scope: "class", classGroupId: s.classId }).lean();
    expect(kept.map((m) => `${m.identityId}:${m.position}`).sort()).toEqual(lists[w]!.map((x) => `${x.identityId}:${x.position}`).sort());
    const head = lists[w]![0]!.identityId;
    expect((await rolesOf(db.models, head)).board).toEqual([expect.objectContaining({ scope: "class", position: "head", classGroupId: s.classId })]);
    const chosen = sent.filter((x) => x.group === `board-board:class:${s.classId}` && x.item.messages[0]!.key === "board-chosen");
    expect(chosen).toHaveLength(3);
    expect(chosen.find((x) => x.item.key.endsWith(head))!.item.messages[0]!.args).toMatchObject({ position: "head", scope: "class", className: "6A1", year: "2026-2027" });
    // The demo's board head (linked by an invite code) is off the board unless chosen again.
    if (!lists[w]!.some((x) => x.identityId === s.board)) expect((await rolesOf(db.models, s.board)).board).toEqual([]);

    // The principal forms the school board from class heads and deputies only.
    const fromClasses = await schoolBoardCandidates(h.deps, schoolId);
    expect(fromClasses.map((c) => c.identityId).sort()).toEqual(lists[w]!.slice(0, 2).map((x) => x.identityId).sort());
    const member = lists[w]![2]!;
    expect(await recordSchoolBoard(h.deps, { schoolId, seats: [{ ...lists[w]![0]!, position: "head" }, { ...member, position: "deputy" }], by: s.principal })).toEqual({ status: "invalid", problem: "not-eligible" });
    const schoolBoard = await recordSchoolBoard(h.deps, { schoolId, seats: [{ ...lists[w]![0]!, position: "head" }, { ...lists[w]![1]!, position: "deputy" }], by: s.principal });
    expect(schoolBoard).toMatchObject({ status: "recorded", version: 1 });
    expect((await rolesOf(db.models, head)).board.map((b) => `${b.scope}:${b.position}`).sort()).toEqual(["class:head", "school:head"]);

    // Terms end with the school year: once it is archived (the rollover), nobody holds board rights.
    await db.models.SchoolYear.updateOne({ _id: s.demo.yearId }, { $set: { archived: true } });
    expect((await rolesOf(db.models, head)).board).toEqual([]);
  });

  it("of eight reissues of one student's code at once, one new code is issued and shown to all; the old code no longer redeems", async () => {
    const s = await school("cd1");
    const { schoolId } = s.demo;
    const pupil = (await db.models.Student.findOne({ schoolId, studentCode: "DEMO-6A1-3" }).lean())!;
    const old = s.demo.codes.guardians.find((g) => g.subject === pupil.fullName)!.code;
    const results = await race(RACE_WIDTH, () => reissueStudentCode(h.deps, { schoolId, studentId: pupil._id, by: s.principal, seen: 0 }));
    expectOneWinner(results, (r) => r.status === "issued");
    const codes = new Set(results.map((r) => ("code" in r ? r.code : "")));
    expect(codes.size).toBe(1);
    const fresh = [...codes][0]!;
    const open = await db.models.InviteCode.find({ "grant.studentId": pupil._id, revoked: false }).lean();
    expect(open.map((c) => c._id)).toEqual([fresh]);
    const redeem = (code: string, who: string) => createLinking(db.models, clock).redeem({ code, address: { channel: "web", account: "web", userId: who, chatId: who }, locale: "vi", consentVersion: "v1", eventId: `e-${who}` });
    expect((await redeem(old, "cd1-a")).status).toBe("invalid");
    expect((await redeem(fresh, "cd1-b")).status).toBe("linked");
    // The class's slips print the new code.
    const rows = await createSchoolAdmin(db.models, () => clock.now()).guardianCodes({ schoolId, classGroupId: s.classId, ttlDays: 30 });
    expect(rows.find((r) => r.subject === pupil.fullName)!.code).toBe(fresh);
    // Revoke alone: nothing usable is left.
    expect(await revokeStudentCodes(h.deps, { schoolId, studentId: pupil._id, by: s.principal })).toBe(1);
    expect((await redeem(fresh, "cd1-c")).status).toBe("invalid");
  });
});
