/**
 * The school board recorded in the bot, its use cases against the real MongoDB-compatible
 * server: who may record it (the school's principal and vice-principals only; not a homeroom
 * teacher, the school office, a guardian, a class-board member, nor another school's
 * principal), whom it is chosen from (the class boards' heads and deputies, by pupil name and
 * class, no messenger names), the console's rules kept, and eight principal / vice-principal
 * sessions recording at once: one list is kept, its members told once.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { rolesOf } from "../../src/store/directory.js";
import { seedDemo } from "../../src/features/school/demo.js";
import { createBoardsPort } from "../../src/features/boards/index.js";
import type { BoardsPort } from "../../src/features/boards/port.js";
import type { BoardSeat } from "../../src/features/boards/boards.js";
import type { StaffRole } from "../../src/domain/roles.js";
import { testConfig } from "../support/test-config.js";
import { FakeClock } from "../support/fakes.js";
import { useStaffDeps } from "../support/staff-deps.js";
import { expectOneWinner, race, RACE_WIDTH } from "../support/race.js";

describe("the school board recorded in the bot", { timeout: 60_000 }, () => {
  const config = testConfig("school-board-bot");
  const clock = new FakeClock(new Date("2026-09-25T03:00:00Z"));
  const h = useStaffDeps(config, clock);
  const { db, sent } = h;
  let boards: BoardsPort;
  beforeAll(() => { boards = createBoardsPort(h.deps); });

  const actor = async (identityId: string) => ({ identityId, roles: await rolesOf(db.models, identityId) });

  /**
   * A demo school of its own with one guardian per pupil (messenger names carrying phone
   * numbers), both class boards recorded (6A1 by its teacher, 6A2 by the principal: a head, a
   * deputy and a member each), a vice-principal and the school office.
   */
  const school = async (people: string) => {
    const demo = await seedDemo(db.models, { ttlDays: 30, account: "web", slug: `sb-${people}`, people });
    const [a1, a2] = [demo.classes[0]!.id, demo.classes[1]!.id];
    const identity = async (who: string) => (await db.models.ChannelIdentity.findOne({ channel: "web", account: "web", externalUserId: `${people}-${who}` }).lean())!._id;
    const pupils = await db.models.Student.find({ schoolId: demo.schoolId }).sort({ studentCode: 1 }).lean();
    const linked = new Set((await db.models.GuardianLink.find({ studentId: { $in: pupils.map((p) => p._id) } }).lean()).map((l) => l.studentId));
    for (const p of pupils.filter((x) => !linked.has(x._id))) {
      const g = await db.models.ChannelIdentity.create({ channel: "web", account: "web", externalUserId: `${people}-g-${p._id}`, chatId: `${people}-${p._id}`, displayName: `Zalo +84 912 ${p.studentCode}` });
      await db.models.GuardianLink.create({ identityId: g._id, studentId: p._id, schoolId: demo.schoolId });
    }
    const staff = async (who: string, role: StaffRole, schoolId = demo.schoolId) => {
      const i = await db.models.ChannelIdentity.create({ channel: "web", account: "web", externalUserId: `${people}-${who}`, chatId: `${people}-${who}`, displayName: who });
      const st = await db.models.Staff.create({ schoolId, fullName: `Lê Văn ${who}`, title: "Thầy" });
      await db.models.StaffRole.create({ identityId: i._id, staffId: st._id, schoolId, role, classGroupId: "" });
      return actor(i._id);
    };
    const teacher = await actor(await identity("teacher"));
    const principal = await actor(await identity("principal"));
    const classBoard = async (by: typeof teacher, classGroupId: string) => {
      const choice = (await boards.classChoice(by, classGroupId))!;
      const seats: BoardSeat[] = choice.households.slice(0, 3).map((h, i) => ({ identityId: h.identityId, studentId: h.studentId, position: (["head", "deputy", "member"] as const)[i]! }));
      expect(await boards.recordClass(by, { classGroupId, seats, seen: choice.version })).toMatchObject({ status: "recorded" });
      return seats;
    };
    const other = await db.models.School.create({ name: "THCS Lê Lợi", slug: `sb-${people}-other` });
    return {
      demo, a1, a2, teacher, principal,
      boardA1: await classBoard(teacher, a1), boardA2: await classBoard(principal, a2),
      vice: await staff("vice", "vice-principal"), office: await staff("office", "admin"), otherPrincipal: await staff("other", "principal", other._id),
      guardian: await actor(await identity("guardian")),
    };
  };

  it("only the school's principal and vice-principals may record it, from the class heads and deputies listed by pupil name and class", async () => {
    const s = await school("who");
    for (const who of [s.principal, s.vice]) expect(await boards.schoolsFor(who)).toEqual([{ schoolId: s.demo.schoolId, schoolName: s.demo.schoolName, yearName: "2026-2027" }]);
    const heads = [...s.boardA1, ...s.boardA2].filter((x) => x.position !== "member");
    const headOfA1 = (await actor(s.boardA1[0]!.identityId));
    for (const who of [s.teacher, s.office, s.guardian, headOfA1, s.otherPrincipal, { roles: s.principal.roles }]) {
      expect(await boards.schoolsFor(who)).toEqual([]);
      expect(await boards.schoolChoice(who, s.demo.schoolId)).toBeUndefined();
      const seats = heads.map((h, i) => ({ identityId: h.identityId, studentId: h.studentId, position: i === 0 ? "head" as const : "deputy" as const }));
      expect(await boards.recordSchool(who, { schoolId: s.demo.schoolId, seats, seen: 0 })).toEqual({ status: "not-allowed" });
    }
    expect(await db.models.Transition.countDocuments({ entity: { $regex: `^board:school:${s.demo.schoolId}` } })).toBe(0);
    expect(await db.models.BoardMembership.countDocuments({ schoolId: s.demo.schoolId, scope: "school" })).toBe(0);

    const choice = (await boards.schoolChoice(s.principal, s.demo.schoolId))!;
    expect(choice).toMatchObject({ board: { schoolId: s.demo.schoolId, yearName: "2026-2027" }, version: 0 });
    // The two classes' heads and deputies, 6A1 first; never a member, never a messenger name.
    expect(choice.rows.map((r) => `${r.identityId}|${r.studentId}`)).toEqual(heads.map((h) => `${h.identityId}|${h.studentId}`));
    expect(choice.rows.map((r) => r.className)).toEqual(["6A1", "6A1", "6A2", "6A2"]);
    expect(JSON.stringify(choice)).not.toMatch(/Zalo|\+84/); // a messenger name carrying a phone number (neither can occur in an id)
    for (const r of choice.rows) expect(Object.keys(r).sort()).toEqual(["className", "identityId", "studentId", "studentName"]);

    // The console's rules, by the same use case: a head and a deputy; only class heads and deputies.
    const seat = (h: { identityId: string; studentId: string }, position: BoardSeat["position"]) => ({ identityId: h.identityId, studentId: h.studentId, position });
    expect(await boards.recordSchool(s.vice, { schoolId: s.demo.schoolId, seats: [seat(heads[0]!, "head")], seen: 0 })).toEqual({ status: "invalid", problem: "deputy" });
    expect(await boards.recordSchool(s.vice, { schoolId: s.demo.schoolId, seats: [seat(heads[0]!, "head"), seat(s.boardA1[2]!, "deputy")], seen: 0 })).toEqual({ status: "invalid", problem: "not-eligible" });
    expect(await boards.recordSchool(s.vice, { schoolId: s.demo.schoolId, seats: [seat(heads[0]!, "head"), seat(heads[2]!, "deputy"), seat(heads[3]!, "deputy")], seen: 0 })).toMatchObject({ status: "recorded", version: 1, told: 3 });
    expect((await rolesOf(db.models, heads[2]!.identityId)).board).toEqual(expect.arrayContaining([expect.objectContaining({ scope: "school", position: "deputy", schoolId: s.demo.schoolId })]));
    // Once the year is archived (rollover), nobody records that year's board.
    await db.models.SchoolYear.updateOne({ _id: s.demo.yearId }, { $set: { archived: true } });
    expect(await boards.schoolsFor(s.principal)).toEqual([]);
    expect(await boards.recordSchool(s.principal, { schoolId: s.demo.schoolId, seats: [seat(heads[0]!, "head"), seat(heads[1]!, "deputy")], seen: 1 })).toEqual({ status: "not-allowed" });
  });

  it(`of ${RACE_WIDTH} principal and vice-principal sessions recording at once, one list is kept and its members are told once`, async () => {
    const s = await school("race");
    const choice = (await boards.schoolChoice(s.principal, s.demo.schoolId))!;
    const rows = choice.rows;
    const seat = (i: number, position: BoardSeat["position"]): BoardSeat => ({ identityId: rows[i % rows.length]!.identityId, studentId: rows[i % rows.length]!.studentId, position });
    const lists = Array.from({ length: RACE_WIDTH }, (_, i) => [seat(i, "head"), seat(i + 1, "deputy"), seat(i + 2, "member")]);
    const before = sent.length;
    const results = await race(RACE_WIDTH, (i) => boards.recordSchool(i % 2 ? s.vice : s.principal, { schoolId: s.demo.schoolId, seats: lists[i]!, seen: choice.version }));
    const w = expectOneWinner(results, (r) => r.status === "recorded");
    expect(results.filter((r, i) => i !== w && (r as { status: string }).status !== "changed-meanwhile")).toEqual([]);
    const kept = await db.models.BoardMembership.find({ schoolId: s.demo.schoolId, scope: "school" }).lean();
    expect(kept.map((m) => `${m.identityId}:${m.position}`).sort()).toEqual(lists[w]!.map((x) => `${x.identityId}:${x.position}`).sort());
    const entity = `board:school:${s.demo.schoolId}:${s.demo.yearId}`;
    expect(await db.models.Transition.countDocuments({ entity })).toBe(1);
    const told = sent.slice(before).filter((x) => x.item.messages[0]!.key === "board-chosen");
    expect(told.map((x) => x.item.key).sort()).toEqual(lists[w]!.map((x) => `board-${entity}-v1-${x.identityId}`).sort());
    expect(told.every((x) => x.item.messages[0]!.args?.scope === "school")).toBe(true);
  });
});
