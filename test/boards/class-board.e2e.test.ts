/**
 * The class parents' board recorded in the bot (issue 13), end to end through the fake
 * Telegram Bot API: the homeroom teacher opens it from the start-of-year meeting's menu, picks
 * 3–5 guardians by pupil name (bad input re-prompted, one seat per person, *Quay lại* works),
 * chooses the head and the deputy, confirms the summary; the chosen guardians are told their
 * role and then see the board's menu items. The principal re-records it from /menu (the
 * teacher's open confirmation then loses: one list per version) and the guardian left off is
 * told the term ended. A guardian cannot start the flow. Nobody sees a phone number or handle.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemo, type DemoSeed } from "../../src/features/school/demo.js";
import { rolesOf } from "../../src/store/directory.js";
import { startTestApp, type TestApp } from "../support/app-harness.js";
import { eventually } from "../support/eventually.js";
import type { TgUser } from "../support/fake-telegram.js";
import { boardChat } from "./support/board-chat.js";

describe("the class board recorded in the bot", { timeout: 180_000 }, () => {
  let t: TestApp;
  let demo: DemoSeed;
  let a1: string;
  const teacher: TgUser = { id: 5550003001, first_name: "Lan", language_code: "vi" };
  const principal: TgUser = { id: 5550003002, first_name: "Minh", language_code: "vi" };
  // Guardians whose messenger names carry phone numbers and handles: the teacher must never see them.
  const anMom: TgUser = { id: 5550003101, first_name: "Hoa 0912000101", username: "hoa_an_mom", language_code: "vi" };
  const anDad: TgUser = { id: 5550003102, first_name: "Tuấn 0912000102", username: "tuan_an_dad", language_code: "vi" };
  const binhMom: TgUser = { id: 5550003103, first_name: "Thu 0912000103", username: "thu_binh", language_code: "vi" };
  const huyMom: TgUser = { id: 5550003104, first_name: "Mai 0912000104", username: "mai_huy", language_code: "vi" };
  const lanDad: TgUser = { id: 5550003105, first_name: "Nam 0912000105", username: "nam_lan", language_code: "vi" };
  const guardians = [anMom, anDad, binhMom, huyMom, lanDad];
  const { transcript, link, numbersIn, as, told, buttonsOf, identityOf } = boardChat(() => t, [teacher, principal]);
  const codeOf = (pupil: string) => demo.codes.guardians.find((c) => c.subject === pupil && c.className === "6A1")!.code;

  beforeAll(async () => {
    t = await startTestApp("class-board-e2e");
    demo = await seedDemo(t.app.db.models, { ttlDays: 30 });
    a1 = demo.classes[0]!.id;
    await link(teacher, demo.codes.homeroomTeacher.code);
    await link(principal, demo.codes.principal.code);
    await link(anMom, codeOf("Nguyễn Văn An"));
    await link(anDad, codeOf("Nguyễn Văn An"));
    await link(binhMom, codeOf("Trần Thị Bình"));
    await link(binhMom, codeOf("Lê Minh Châu")); // two children in the class: one seat at most
    await link(huyMom, codeOf("Phạm Gia Huy"));
    await link(lanDad, codeOf("Võ Ngọc Lan"));
    expect(await t.app.db.models.GuardianLink.countDocuments({ schoolId: demo.schoolId })).toBe(6);
    // The start-of-year meeting where the board is elected (created as the teacher would).
    const identityId = await identityOf(teacher);
    const created = await t.app.services.meetings.create({ identityId, roles: await rolesOf(t.app.db.models, identityId) }, {
      schoolId: demo.schoolId, scope: { kind: "class", classGroupId: a1 }, kind: "start-year", startsAt: new Date(Date.now() + 5 * 86_400_000), place: "Phòng 6A1", agenda: "Bầu Ban đại diện cha mẹ học sinh",
    }, "cb-e2e-meeting");
    expect(created.status).toBe("published");
    // The invitations reach every household before the story starts (each guardian's last message is then their own turn's answer);
    // a parent of two children gets one, with buttons per child ("✅ Bình: tham dự").
    for (const g of guardians) await eventually(async () => t.telegram.sent({ chatId: g.id }).some((r) => /tham dự/i.test(JSON.stringify(r.params.reply_markup ?? ""))), { timeoutMs: 30_000, message: `${g.first_name} got no invitation` });
  });
  afterAll(async () => { await t?.stop(); });

  it("the homeroom teacher records the board from the start-of-year meeting's menu; the chosen are told and get the board's menu", async () => {
    expect(await as(binhMom, { say: "/menu" })).toBeTruthy();
    expect(buttonsOf(binhMom)).toContain("Biểu quyết");
    expect(buttonsOf(binhMom)).not.toContain("Ban đại diện lớp");

    await as(teacher, { say: "/hop" });
    await as(teacher, { press: t.button(teacher, /đầu năm học/) });
    const record = t.button(teacher, /Ghi nhận Ban đại diện lớp/);
    expect(record).toBe(`bd-${a1}`);
    // A class meeting: the class board only (the school board is a school-wide meeting's, for BGH).
    expect(buttonsOf(teacher)).not.toContain("Ghi nhận Ban đại diện trường");
    const list = await as(teacher, { press: record });
    expect(list).toContain("Ban đại diện cha mẹ học sinh lớp 6A1 năm học 2026-2027");
    const n = numbersIn(list);
    expect([...n.keys()].sort()).toEqual(["Lê Minh Châu", "Nguyễn Văn An (1)", "Nguyễn Văn An (2)", "Phạm Gia Huy", "Trần Thị Bình", "Võ Ngọc Lan"].sort());

    // Bad input is re-prompted kindly; one person holds one seat even with two children in the class.
    expect(await as(teacher, { say: `${n.get("Trần Thị Bình")}, ${n.get("Phạm Gia Huy")}` })).toMatch(/từ 3 đến 5 số thứ tự/);
    expect(await as(teacher, { say: "bà Thu" })).toMatch(/từ 3 đến 5 số thứ tự/);
    expect(await as(teacher, { say: "1, 2, 3, 4, 5, 6" })).toMatch(/từ 3 đến 5 số thứ tự/);
    expect(await as(teacher, { say: `${n.get("Trần Thị Bình")}, ${n.get("Lê Minh Châu")}, ${n.get("Phạm Gia Huy")}` })).toMatch(/chỉ giữ một ghế/);

    expect(await as(teacher, { say: `${n.get("Trần Thị Bình")}, ${n.get("Phạm Gia Huy")}, ${n.get("Nguyễn Văn An (1)")}` })).toMatch(/chọn Trưởng ban/);
    expect(await as(teacher, { press: t.button(teacher, /PH em Trần Thị Bình/) })).toMatch(/chọn Phó trưởng ban/);
    expect(buttonsOf(teacher).filter((b) => b.startsWith("PH em")).sort()).toEqual(["PH em Nguyễn Văn An (1)", "PH em Phạm Gia Huy"]);
    expect(buttonsOf(teacher)).toEqual(expect.arrayContaining(["↩ Quay lại", "✖ Hủy"]));
    // Quay lại: the head again.
    expect(await as(teacher, { press: "c-_back" })).toMatch(/chọn Trưởng ban/);
    await as(teacher, { press: t.button(teacher, /PH em Trần Thị Bình/) });
    const summary = await as(teacher, { press: t.button(teacher, /PH em Phạm Gia Huy/) });
    expect(summary).toContain("Ban đại diện cha mẹ học sinh lớp 6A1 năm học 2026-2027:");
    expect(summary).toContain("Trưởng ban: PH em Trần Thị Bình");
    expect(summary).toContain("Phó trưởng ban: PH em Phạm Gia Huy");
    expect(summary).toContain("Thành viên: PH em Nguyễn Văn An (1)");
    expect(await t.app.db.models.BoardMembership.countDocuments({ classGroupId: a1 })).toBe(0);

    expect(await as(teacher, { press: t.button(teacher, /^Ghi nhận$/) })).toMatch(/đã ghi nhận Ban đại diện cha mẹ học sinh lớp 6A1 năm học 2026-2027 \(3 phụ huynh\) và đã báo tin cho 3 phụ huynh/);
    const kept = await t.app.db.models.BoardMembership.find({ classGroupId: a1 }).lean();
    expect(kept.map((m) => m.position).sort()).toEqual(["deputy", "head", "member"]);
    expect(kept.find((m) => m.position === "head")!.identityId).toBe(await identityOf(binhMom));

    await told(binhMom, /Trưởng ban Ban đại diện cha mẹ học sinh lớp 6A1, nhiệm kỳ năm học 2026-2027[\s\S]*\/bieuquyet/);
    await told(huyMom, /Phó trưởng ban Ban đại diện cha mẹ học sinh lớp 6A1/);
    // "(1)": An's guardian who linked first.
    expect(kept.find((m) => m.position === "member")!.identityId).toBe(await identityOf(anMom));
    await told(anMom, /thành viên Ban đại diện cha mẹ học sinh lớp 6A1/);

    // The board's head now runs polls and opinion rounds from the menu.
    await as(binhMom, { say: "/menu" });
    expect(buttonsOf(binhMom)).toEqual(expect.arrayContaining(["Tạo biểu quyết", "Lấy ý kiến phụ huynh"]));
    expect(buttonsOf(binhMom)).not.toContain("Ban đại diện lớp");
    expect(await as(binhMom, { say: "/bieuquyet" })).toMatch(/muốn làm gì/);
    expect(buttonsOf(binhMom)).toContain("Tạo biểu quyết mới");
    expect(await as(binhMom, { press: t.button(binhMom, /Tạo biểu quyết mới/) })).toBeTruthy();
    await as(binhMom, { say: "/huy" });
  });

  it("the principal re-records it from /menu: the teacher's open confirmation loses, the guardian left off is told the term ended", async () => {
    const leaving = anMom; // the member of the first list, not on the second

    // The teacher opens the flow from /menu and stops at the confirmation.
    await as(teacher, { say: "/menu" });
    const teacherList = await as(teacher, { press: t.button(teacher, /^Ban đại diện lớp$/) });
    const tn = numbersIn(teacherList);
    await as(teacher, { say: `${tn.get("Trần Thị Bình")}, ${tn.get("Phạm Gia Huy")}, ${tn.get("Võ Ngọc Lan")}` });
    await as(teacher, { press: t.button(teacher, /PH em Võ Ngọc Lan/) });
    expect(await as(teacher, { press: t.button(teacher, /PH em Trần Thị Bình/) })).toContain("Trưởng ban: PH em Võ Ngọc Lan");

    // Meanwhile the principal records another list (picking the class first).
    await as(principal, { say: "/menu" });
    expect(await as(principal, { press: t.button(principal, /^Ban đại diện lớp$/) })).toMatch(/lớp nào/);
    expect(buttonsOf(principal)).toEqual(expect.arrayContaining(["Lớp 6A1", "Lớp 6A2"]));
    const n = numbersIn(await as(principal, { press: t.button(principal, /^Lớp 6A1$/) }));
    await as(principal, { say: `${n.get("Lê Minh Châu")}  ${n.get("Phạm Gia Huy")}; ${n.get("Võ Ngọc Lan")}` });
    await as(principal, { press: t.button(principal, /PH em Phạm Gia Huy/) });
    expect(await as(principal, { press: t.button(principal, /PH em Lê Minh Châu/) })).toContain("Thành viên: PH em Võ Ngọc Lan\n");
    expect(await as(principal, { press: t.button(principal, /^Ghi nhận$/) })).toMatch(/đã ghi nhận .* và đã báo tin cho 3 phụ huynh/);

    expect(await as(teacher, { press: t.button(teacher, /^Ghi nhận$/) })).toMatch(/vừa được người khác ghi nhận/);
    const kept = await t.app.db.models.BoardMembership.find({ classGroupId: a1 }).lean();
    expect(kept.map((m) => `${m.position}:${m.identityId}`).sort()).toEqual([
      `deputy:${await identityOf(binhMom)}`, `head:${await identityOf(huyMom)}`, `member:${await identityOf(lanDad)}`,
    ].sort());
    await told(leaving, /nhiệm kỳ của Quý phụ huynh trong ban đã kết thúc/);
    await told(huyMom, /Trưởng ban Ban đại diện cha mẹ học sinh lớp 6A1/);
    expect((await rolesOf(t.app.db.models, await identityOf(leaving))).board).toEqual([]);
  });

  it("a guardian (even on the board) cannot start the flow; Hủy records nothing; BGH's class-meeting menu offers the class board only; staff never saw a phone number or a handle", async () => {
    const versions = await t.app.db.models.Transition.countDocuments({ entity: `board:class:${a1}` });
    for (const user of [anDad, huyMom]) {
      await as(user, { say: "/menu" });
      expect(buttonsOf(user)).not.toContain("Ban đại diện lớp");
      const reply = await as(user, { press: `bd-${a1}` });
      expect(reply).toMatch(/không có quyền ghi nhận ban của lớp này/);
      expect(reply).not.toContain("6A1");
      // Typing on after the refusal reaches no open flow.
      expect(await as(user, { say: "1, 2, 3" })).not.toMatch(/Trưởng ban/);
    }
    // Hủy at the confirmation: nothing recorded.
    await as(teacher, { say: "/menu" });
    const n = numbersIn(await as(teacher, { press: t.button(teacher, /^Ban đại diện lớp$/) }));
    await as(teacher, { say: `${n.get("Nguyễn Văn An (2)")}, ${n.get("Phạm Gia Huy")}, ${n.get("Võ Ngọc Lan")}` });
    await as(teacher, { press: t.button(teacher, /PH em Nguyễn Văn An \(2\)/) });
    expect(await as(teacher, { press: t.button(teacher, /PH em Võ Ngọc Lan/) })).toContain("Trưởng ban: PH em Nguyễn Văn An (2)");
    expect(buttonsOf(teacher)).toEqual(expect.arrayContaining(["Ghi nhận", "↩ Quay lại", "✖ Hủy"]));
    expect(await as(teacher, { press: "c-_cancel" })).toBeTruthy();
    expect(await t.app.db.models.Transition.countDocuments({ entity: `board:class:${a1}` })).toBe(versions);
    // BGH on the class's start-of-year meeting: the class board, not the school board.
    await as(principal, { say: "/hop" });
    await as(principal, { press: t.button(principal, /đầu năm học/) });
    expect(t.button(principal, /^Ghi nhận Ban đại diện lớp$/)).toBe(`bd-${a1}`);
    expect(buttonsOf(principal)).not.toContain("Ghi nhận Ban đại diện trường");
    expect(await as(principal, { press: t.button(principal, /^Xong$/) })).toMatch(/đã đóng cuộc họp/);
    const all = transcript.join("\n");
    for (const g of guardians) {
      expect(all).not.toContain(g.first_name.split(" ")[1]!);
      expect(all).not.toContain(g.username!);
    }
  });
});
