/**
 * The class board recorded in the bot (issue 13), its use cases against the real
 * MongoDB-compatible server: who may record it (the class's homeroom teacher and BGH only;
 * not a guardian, a board member or another class's teacher), how the guardians are listed
 * (by pupil name, two guardians of one pupil numbered, no display names), and eight
 * teacher/principal sessions recording at once: one list is kept, its members told once.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { rolesOf } from "../../src/store/directory.js";
import { seedDemo } from "../../src/features/school/demo.js";
import { createBoardsPort } from "../../src/features/boards/index.js";
import type { BoardsPort } from "../../src/features/boards/port.js";
import type { BoardSeat } from "../../src/features/boards/boards.js";
import { testConfig } from "../support/test-config.js";
import { FakeClock } from "../support/fakes.js";
import { useStaffDeps } from "../support/staff-deps.js";
import { expectOneWinner, race, RACE_WIDTH } from "../support/race.js";

describe("the class board recorded in the bot", { timeout: 60_000 }, () => {
  const config = testConfig("class-board-bot");
  const clock = new FakeClock(new Date("2026-09-20T03:00:00Z"));
  const h = useStaffDeps(config, clock);
  const { db, sent } = h;
  let boards: BoardsPort;
  beforeAll(() => { boards = createBoardsPort(h.deps); });

  /** A demo school of its own with every 6A1 pupil's guardian linked (the first pupil's two), and a teacher of 6A2. */
  const school = async (people: string) => {
    const demo = await seedDemo(db.models, { ttlDays: 30, account: "web", slug: `cb-${people}`, people });
    const [a1, a2] = [demo.classes[0]!.id, demo.classes[1]!.id];
    const identity = async (who: string) => (await db.models.ChannelIdentity.findOne({ channel: "web", account: "web", externalUserId: `${people}-${who}` }).lean())!._id;
    const pupils = await db.models.Student.find({ classGroupId: a1 }).sort({ studentCode: 1 }).lean();
    const linked = new Set((await db.models.GuardianLink.find({ studentId: { $in: pupils.map((p) => p._id) } }).lean()).map((l) => l.studentId));
    for (const p of [...pupils.filter((x) => !linked.has(x._id)), pupils[0]!]) {
      const g = await db.models.ChannelIdentity.create({ channel: "web", account: "web", externalUserId: `${people}-g-${p._id}-${linked.has(p._id) ? 2 : 1}`, chatId: `${people}-${p._id}`, displayName: `Zalo 0912${p.studentCode}` });
      await db.models.GuardianLink.create({ identityId: g._id, studentId: p._id, schoolId: demo.schoolId });
    }
    const other = await db.models.ChannelIdentity.create({ channel: "web", account: "web", externalUserId: `${people}-t2`, chatId: `${people}-t2`, displayName: "Cô Hà" });
    const staff = await db.models.Staff.create({ schoolId: demo.schoolId, fullName: "Bùi Thu Hà", title: "Cô" });
    await db.models.StaffRole.create({ identityId: other._id, staffId: staff._id, schoolId: demo.schoolId, role: "homeroom-teacher", classGroupId: a2 });
    const actor = async (identityId: string) => ({ identityId, roles: await rolesOf(db.models, identityId) });
    return {
      demo, a1, a2, pupils,
      teacher: await actor(await identity("teacher")), principal: await actor(await identity("principal")),
      guardian: await actor(await identity("guardian")), board: await actor(await identity("board")), otherTeacher: await actor(other._id),
    };
  };

  it("only the class's homeroom teacher and BGH may record it; guardians are listed by pupil name only", async () => {
    const s = await school("who");
    expect((await boards.classesFor(s.teacher)).map((c) => c.className)).toEqual(["6A1"]);
    expect((await boards.classesFor(s.principal)).map((c) => c.className)).toEqual(["6A1", "6A2"]);
    expect((await boards.classesFor(s.otherTeacher)).map((c) => c.className)).toEqual(["6A2"]);
    for (const who of [s.guardian, s.board, { roles: s.teacher.roles }]) expect(await boards.classesFor(who)).toEqual([]);

    const choice = (await boards.classChoice(s.teacher, s.a1))!;
    expect(choice).toMatchObject({ board: { className: "6A1", yearName: "2026-2027" }, version: 0 });
    // Five pupils, the first with two guardians (numbered 1 and 2); nothing but ids, the pupil's name and the number.
    expect(choice.households).toHaveLength(6);
    expect(choice.households.filter((h) => h.studentId === s.pupils[0]!._id).map((h) => h.nth)).toEqual([1, 2]);
    expect(choice.households.filter((h) => h.studentId !== s.pupils[0]!._id).every((h) => h.nth === 0)).toBe(true);
    expect(JSON.stringify(choice)).not.toMatch(/0912|Zalo/);
    for (const h of choice.households) expect(Object.keys(h).sort()).toEqual(["apart", "identityId", "nth", "studentId", "studentName"]);
    expect(choice.households.every((h) => h.apart === "")).toBe(true);

    const seats: BoardSeat[] = choice.households.slice(1, 4).map((h, i) => ({ identityId: h.identityId, studentId: h.studentId, position: (["head", "deputy", "member"] as const)[i]! }));
    const members = await db.models.BoardMembership.countDocuments({ classGroupId: s.a1 });
    for (const who of [s.guardian, s.board, s.otherTeacher]) {
      expect(await boards.classChoice(who, s.a1)).toBeUndefined();
      expect(await boards.recordClass(who, { classGroupId: s.a1, seats, seen: 0 })).toEqual({ status: "not-allowed" });
    }
    expect(await db.models.BoardMembership.countDocuments({ classGroupId: s.a1 })).toBe(members);
    expect(await db.models.Transition.countDocuments({ entity: `board:class:${s.a1}` })).toBe(0);
    // The rules are the console's: a list of two is refused by the same use case.
    expect(await boards.recordClass(s.teacher, { classGroupId: s.a1, seats: seats.slice(0, 2), seen: 0 })).toEqual({ status: "invalid", problem: "size" });
    // Once the year is archived (rollover), nobody records that year's board.
    await db.models.SchoolYear.updateOne({ _id: s.demo.yearId }, { $set: { archived: true } });
    expect(await boards.classesFor(s.principal)).toEqual([]);
    expect(await boards.recordClass(s.teacher, { classGroupId: s.a1, seats, seen: 0 })).toEqual({ status: "not-allowed" });
  });

  it("two pupils of one name are told apart by date of birth, else by the pupil code", async () => {
    const s = await school("twins");
    const twin = await db.models.Student.create({ schoolId: s.demo.schoolId, classGroupId: s.a1, fullName: s.pupils[1]!.fullName, dateOfBirth: "2014-03-12", studentCode: "TWIN-1" });
    const g = await db.models.ChannelIdentity.create({ channel: "web", account: "web", externalUserId: "twins-g-twin", chatId: "twins-g-twin", displayName: "Zalo 0912999" });
    await db.models.GuardianLink.create({ identityId: g._id, studentId: twin._id, schoolId: s.demo.schoolId });
    const rows = (await boards.classChoice(s.teacher, s.a1))!.households.filter((h) => h.studentName === s.pupils[1]!.fullName);
    expect(rows.map((h) => h.apart).sort()).toEqual(["2014-03-12", s.pupils[1]!.dateOfBirth || s.pupils[1]!.studentCode].sort());
  });

  it(`of ${RACE_WIDTH} teacher and principal sessions recording at once, one list is kept and its members are told once`, async () => {
    const s = await school("race");
    const choice = (await boards.classChoice(s.teacher, s.a1))!;
    const h = choice.households.filter((x) => x.nth !== 2);
    const seat = (i: number, position: BoardSeat["position"]): BoardSeat => ({ identityId: h[i % h.length]!.identityId, studentId: h[i % h.length]!.studentId, position });
    const lists = Array.from({ length: RACE_WIDTH }, (_, i) => [seat(i, "head"), seat(i + 1, "deputy"), seat(i + 2, "member")]);
    const before = sent.length;
    const results = await race(RACE_WIDTH, (i) => boards.recordClass(i % 2 ? s.principal : s.teacher, { classGroupId: s.a1, seats: lists[i]!, seen: choice.version }));
    const w = expectOneWinner(results, (r) => r.status === "recorded");
    expect(results.filter((r, i) => i !== w && (r as { status: string }).status !== "changed-meanwhile")).toEqual([]);
    const kept = await db.models.BoardMembership.find({ scope: "class", classGroupId: s.a1 }).lean();
    expect(kept.map((m) => `${m.identityId}:${m.position}`).sort()).toEqual(lists[w]!.map((x) => `${x.identityId}:${x.position}`).sort());
    expect(await db.models.Transition.countDocuments({ entity: `board:class:${s.a1}` })).toBe(1);
    const told = sent.slice(before).filter((x) => x.item.messages[0]!.key === "board-chosen");
    expect(told.map((x) => x.item.key).sort()).toEqual(lists[w]!.map((x) => `board-board:class:${s.a1}-v1-${x.identityId}`).sort());
    expect((await rolesOf(db.models, lists[w]![0]!.identityId)).board).toEqual([expect.objectContaining({ scope: "class", position: "head", classGroupId: s.a1 })]);
  });
});
