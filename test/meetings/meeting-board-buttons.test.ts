/**
 * The board buttons under a start-of-year meeting's menu (flows/meeting-manage.ts): a class
 * meeting offers to record the class board (`bd-<class>`); a school-wide one offers BGH of that
 * school — and nobody else — to record the school board (`bs-<school>`), pressed or typed. A
 * teacher who organizes the school meeting without leading the school sees no such button, and
 * pressing `bs-<school>` gets the school-board flow's refusal.
 */
import { describe, it, expect } from "vitest";
import type { Button, Outbound } from "../../src/engine/messages.js";
import type { HandleResult } from "../../src/engine/engine.js";
import type { BoardsPort } from "../../src/features/boards/port.js";
import type { MeetingView } from "../../src/features/meetings/port.js";
import { leadsSchool, NO_ROLES, type Roles } from "../../src/domain/roles.js";
import { FakeMeetings, meetingEngine, sampleMeeting } from "./support/fake-meetings.js";

const TEACHER = "2001";
const PRINCIPAL = "2002";
const OTHER_PRINCIPAL = "2003";
const principalOf = (schoolId: string): Roles => ({ ...NO_ROLES, staff: [{ role: "principal", schoolId, classGroupId: "", className: "", staffName: "Trần Văn Minh" }] });

const classMeeting: MeetingView = { ...sampleMeeting, classGroupId: "c1", schoolId: "sch1" };
const schoolMeeting: MeetingView = { ...sampleMeeting, scope: "school", scopeName: "", schoolId: "sch1", place: "Hội trường", agenda: "Hội nghị cha mẹ học sinh đầu năm" };

/** Boards as the school-board flow asks for them: sch1's BGH may record it, with two class heads and deputies to choose from. */
const boards = {
  schoolsFor: async (actor) => (leadsSchool(actor.roles, "sch1") ? [{ schoolId: "sch1", schoolName: "THCS Demo", yearName: "2026-2027" }] : []),
  schoolChoice: async (actor, schoolId) => (schoolId === "sch1" && leadsSchool(actor.roles, "sch1")
    ? { board: { schoolId, schoolName: "THCS Demo", yearName: "2026-2027" }, version: 0, rows: [
      { identityId: "g1", studentId: "s1", studentName: "Nguyễn Văn An", className: "6A1" },
      { identityId: "g2", studentId: "s2", studentName: "Trần Thị Bình", className: "6A2" },
    ] } : undefined),
} as Partial<BoardsPort> as BoardsPort;

function setup(managed: MeetingView) {
  const meetings = new FakeMeetings();
  meetings.managed = managed;
  const t = meetingEngine(meetings);
  t.services.boards = boards;
  t.directory.people.set(`telegram:bot:${PRINCIPAL}`, { identityId: "id-principal", roles: principalOf("sch1"), locale: "vi" });
  t.directory.people.set(`telegram:bot:${OTHER_PRINCIPAL}`, { identityId: "id-other", roles: principalOf("sch2"), locale: "vi" });
  return t;
}
const outbound = (r: HandleResult): Outbound[] => (r.status === "handled" ? r.outbound : []);
/** The buttons under the last message of a reply. */
const buttonsOf = (r: HandleResult): Button[] => {
  const last = outbound(r).filter((o) => o.kind !== "keyboard").at(-1);
  return last && "buttons" in last ? (last.buttons ?? []).flat() : [];
};
const labels = (r: HandleResult) => buttonsOf(r).map((b) => b.label);
/** Opens the managed meeting's menu from /hop. */
async function openMenu(t: ReturnType<typeof setup>, user: string, id = sampleMeeting.id): Promise<HandleResult> {
  await t.send("/hop", user);
  return t.press(`c-${id}`, user);
}

describe("the board buttons under a start-of-year meeting's menu", () => {
  it("a school-wide start-of-year meeting offers its school's BGH to record the school board (bs-<school>), not the class board", async () => {
    const t = setup(schoolMeeting);
    const menu = await openMenu(t, PRINCIPAL);
    expect(t.texts(menu).join()).toMatch(/muốn làm gì/);
    expect(buttonsOf(menu)).toContainEqual({ label: "Ghi nhận Ban đại diện trường", payload: "bs-sch1" });
    expect(labels(menu)).not.toContain("Ghi nhận Ban đại diện lớp");
    // Pressed: the school-board flow opens for that meeting's school.
    expect(t.texts(await t.press("bs-sch1", PRINCIPAL)).join()).toMatch(/THCS Demo năm học 2026-2027[\s\S]*1\. Nguyễn Văn An \(6A1\)\n2\. Trần Thị Bình \(6A2\)/);
  });

  it("typed rather than pressed (Zalo's numbered list), the entry opens the school board too", async () => {
    const t = setup({ ...schoolMeeting, status: "held" });
    expect(labels(await openMenu(t, PRINCIPAL))).toContain("Ghi nhận Ban đại diện trường");
    expect(t.texts(await t.send("ghi nhan ban dai dien truong", PRINCIPAL)).join()).toMatch(/THCS Demo năm học 2026-2027[\s\S]*2\. Trần Thị Bình \(6A2\)/);
  });

  it("a teacher organizing the school meeting without leading the school, and another school's principal, see no school-board button; pressing bs-<school> is refused", async () => {
    const t = setup(schoolMeeting);
    for (const user of [TEACHER, OTHER_PRINCIPAL]) {
      const menu = await openMenu(t, user);
      expect(t.texts(menu).join(), user).toMatch(/muốn làm gì/);
      expect(labels(menu), user).not.toContain("Ghi nhận Ban đại diện trường");
      expect(labels(menu), user).not.toContain("Ghi nhận Ban đại diện lớp");
      // Typing the entry is not a choice of this menu: it is asked again, and no board flow opens.
      expect(t.texts(await t.send("ghi nhan ban dai dien truong", user)).join(), user).not.toMatch(/Trưởng ban, Phó trưởng ban các lớp bầu ra/);
      await t.send("/huy", user);
      expect(t.texts(await t.press("bs-sch1", user)).join(), user).toMatch(/do Ban giám hiệu nhà trường thực hiện; .* không có quyền ghi nhận ban này/);
    }
  });

  it("a class start-of-year meeting still shows the class button only, to its teacher and to BGH", async () => {
    const t = setup(classMeeting);
    for (const user of [TEACHER, PRINCIPAL]) {
      const menu = await openMenu(t, user);
      expect(buttonsOf(menu), user).toContainEqual({ label: "Ghi nhận Ban đại diện lớp", payload: "bd-c1" });
      expect(labels(menu), user).not.toContain("Ghi nhận Ban đại diện trường");
      await t.send("/huy", user);
    }
  });

  it("no school-board button before the meeting is sent, nor under a school-wide meeting of another kind", async () => {
    for (const managed of [{ ...schoolMeeting, status: "draft" as const }, { ...schoolMeeting, status: "pending-board" as const }, { ...schoolMeeting, kind: "end-year" as const }, { ...schoolMeeting, scope: "grade" as const, scopeName: "6" }]) {
      const t = setup(managed);
      const menu = await openMenu(t, PRINCIPAL);
      expect(t.texts(menu).join(), JSON.stringify(managed)).toMatch(/muốn làm gì/);
      expect(labels(menu), JSON.stringify(managed)).not.toContain("Ghi nhận Ban đại diện trường");
    }
  });
});
