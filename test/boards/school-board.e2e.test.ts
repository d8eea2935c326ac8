/**
 * The school parents' board recorded in the bot, end to end through the fake Telegram Bot API:
 * once both class boards are recorded, the principal opens *Ban đại diện trường* from /menu,
 * picks class heads and deputies by pupil name and class (bad input re-prompted, one seat per
 * person even when they sit on two class boards), chooses the head and the deputies, confirms
 * the summary; the chosen are told their role and the office console shows the board. A
 * homeroom teacher and a parent get a kind refusal and record nothing. Nobody on the staff
 * side sees a phone number or a handle. The school-wide start-of-year meeting's menu offers the
 * principal *Ghi nhận Ban đại diện trường*, which records the board again; the teacher never sees it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemo, type DemoSeed } from "../../src/features/school/demo.js";
import { rolesOf } from "../../src/store/directory.js";
import { issueConsoleLink } from "../../src/features/console/sign-in.js";
import { startTestApp, type TestApp } from "../support/app-harness.js";
import { eventually } from "../support/eventually.js";
import type { TgUser } from "../support/fake-telegram.js";
import { boardChat } from "./support/board-chat.js";

describe("the school board recorded in the bot", { timeout: 180_000 }, () => {
  let t: TestApp;
  let demo: DemoSeed;
  const teacher: TgUser = { id: 5550004001, first_name: "Lan", language_code: "vi" };
  const principal: TgUser = { id: 5550004002, first_name: "Minh", language_code: "vi" };
  // Guardians whose messenger names carry phone numbers and handles: the principal must never see them.
  const anMom: TgUser = { id: 5550004101, first_name: "Hoa 0912000201", username: "hoa_an", language_code: "vi" };
  const binhMom: TgUser = { id: 5550004102, first_name: "Thu 0912000202", username: "thu_binh_khoa", language_code: "vi" };
  const huyMom: TgUser = { id: 5550004103, first_name: "Mai 0912000203", username: "mai_huy", language_code: "vi" };
  const baoMom: TgUser = { id: 5550004104, first_name: "Ngọc 0912000204", username: "ngoc_bao", language_code: "vi" };
  const haDad: TgUser = { id: 5550004105, first_name: "Nam 0912000205", username: "nam_ha", language_code: "vi" };
  const guardians = [anMom, binhMom, huyMom, baoMom, haDad];
  const { transcript, link, numbersIn, as, told, buttonsOf, identityOf } = boardChat(() => t, [teacher, principal]);
  const codeOf = (pupil: string) => demo.codes.guardians.find((c) => c.subject === pupil)!.code;
  const actorOf = async (user: TgUser) => { const identityId = await identityOf(user); return { identityId, roles: await rolesOf(t.app.db.models, identityId) }; };
  const schoolVersions = () => t.app.db.models.Transition.countDocuments({ entity: `board:school:${demo.schoolId}:${demo.yearId}` });

  /** Records a class board as its teacher (or the principal) would: head, deputy, member by pupil name. */
  const recordClass = async (by: TgUser, classGroupId: string, pupils: [string, string, string]) => {
    const actor = await actorOf(by);
    const choice = (await t.app.services.boards.classChoice(actor, classGroupId))!;
    const seats = pupils.map((name, i) => {
      const h = choice.households.find((x) => x.studentName === name)!;
      return { identityId: h.identityId, studentId: h.studentId, position: (["head", "deputy", "member"] as const)[i]! };
    });
    expect(await t.app.services.boards.recordClass(actor, { classGroupId, seats, seen: choice.version })).toMatchObject({ status: "recorded" });
  };

  beforeAll(async () => {
    t = await startTestApp("school-board-e2e");
    demo = await seedDemo(t.app.db.models, { ttlDays: 30 });
    const [a1, a2] = [demo.classes[0]!.id, demo.classes[1]!.id];
    await link(teacher, demo.codes.homeroomTeacher.code);
    await link(principal, demo.codes.principal.code);
    await link(anMom, codeOf("Nguyễn Văn An"));
    await link(binhMom, codeOf("Trần Thị Bình"));
    await link(binhMom, codeOf("Hoàng Anh Khoa")); // a child in each class: on both class boards
    await link(huyMom, codeOf("Phạm Gia Huy"));
    await link(baoMom, codeOf("Đặng Quốc Bảo"));
    await link(haDad, codeOf("Bùi Thu Hà"));
    await recordClass(teacher, a1, ["Trần Thị Bình", "Phạm Gia Huy", "Nguyễn Văn An"]);
    await recordClass(principal, a2, ["Đặng Quốc Bảo", "Hoàng Anh Khoa", "Bùi Thu Hà"]);
    await told(binhMom, /Phó trưởng ban Ban đại diện cha mẹ học sinh lớp 6A2/);
    // The school's start-of-year parents' conference (where the school board is formed), called by the principal;
    // published at once (no school board yet to agree it).
    const created = await t.app.services.meetings.create(await actorOf(principal), {
      schoolId: demo.schoolId, scope: { kind: "school" }, kind: "start-year", startsAt: new Date(Date.now() + 5 * 86_400_000), place: "Hội trường", agenda: "Hội nghị cha mẹ học sinh đầu năm, bầu Ban đại diện trường",
    }, "sb-e2e-meeting");
    expect(created.status).toBe("published");
    // The invitations reach every household before the story starts (each guardian's last message is then their own turn's answer);
    // a parent of two children gets one, with buttons per child ("✅ Bình: tham dự").
    for (const g of guardians) await eventually(async () => t.telegram.sent({ chatId: g.id }).some((r) => /tham dự/i.test(JSON.stringify(r.params.reply_markup ?? ""))), { timeoutMs: 30_000, message: `${g.first_name} got no invitation` });
  });
  afterAll(async () => { await t?.stop(); });

  it("the principal records it from /menu: the chosen are told their role, and the office console shows the board", async () => {
    await as(principal, { say: "/menu" });
    expect(buttonsOf(principal)).toEqual(expect.arrayContaining(["Ban đại diện lớp", "Ban đại diện trường"]));
    const list = await as(principal, { press: t.button(principal, /^Ban đại diện trường$/) });
    expect(list).toContain(`Ban đại diện cha mẹ học sinh ${demo.schoolName} năm học 2026-2027 do Trưởng ban, Phó trưởng ban các lớp bầu ra`);
    const n = numbersIn(list);
    // The class heads and deputies only (no class-board member), by pupil name and class.
    expect([...n.keys()].sort()).toEqual(["Trần Thị Bình (6A1)", "Phạm Gia Huy (6A1)", "Đặng Quốc Bảo (6A2)", "Hoàng Anh Khoa (6A2)"].sort());

    // Bad input is re-prompted; one person holds one seat even when on two class boards.
    expect(await as(principal, { say: n.get("Trần Thị Bình (6A1)")! })).toMatch(/ít nhất 2 số thứ tự/);
    expect(await as(principal, { say: "chị Thu" })).toMatch(/ít nhất 2 số thứ tự/);
    expect(await as(principal, { say: `${n.get("Trần Thị Bình (6A1)")}, ${n.get("Hoàng Anh Khoa (6A2)")}` })).toMatch(/PH các em Trần Thị Bình \(6A1\), Hoàng Anh Khoa \(6A2\) là cùng một phụ huynh; .* chỉ giữ một ghế trong ban của trường/);

    expect(await as(principal, { say: `${n.get("Trần Thị Bình (6A1)")}, ${n.get("Phạm Gia Huy (6A1)")}, ${n.get("Đặng Quốc Bảo (6A2)")}` })).toMatch(/chọn Trưởng ban/);
    expect(buttonsOf(principal).filter((b) => b.startsWith("PH em")).sort()).toEqual(["PH em Trần Thị Bình (6A1)", "PH em Phạm Gia Huy (6A1)", "PH em Đặng Quốc Bảo (6A2)"].sort());
    const deputies = await as(principal, { press: t.button(principal, /PH em Trần Thị Bình/) });
    expect(deputies).toMatch(/số thứ tự của Phó trưởng ban/);
    const d = numbersIn(deputies);
    expect([...d.keys()].sort()).toEqual(["Phạm Gia Huy (6A1)", "Đặng Quốc Bảo (6A2)"].sort());
    expect(await as(principal, { say: "7" })).toMatch(/ít nhất một Phó trưởng ban/);
    const summary = await as(principal, { say: d.get("Đặng Quốc Bảo (6A2)")! });
    expect(summary).toContain(`Ban đại diện cha mẹ học sinh ${demo.schoolName} năm học 2026-2027:`);
    expect(summary).toContain("Trưởng ban: PH em Trần Thị Bình (6A1)");
    expect(summary).toContain("Phó trưởng ban: PH em Đặng Quốc Bảo (6A2)");
    expect(summary).toContain("Thành viên thường trực: PH em Phạm Gia Huy (6A1)");
    expect(buttonsOf(principal)).toEqual(expect.arrayContaining(["Ghi nhận", "↩ Quay lại", "✖ Hủy"]));
    expect(await schoolVersions()).toBe(0);

    expect(await as(principal, { press: t.button(principal, /^Ghi nhận$/) })).toMatch(/đã ghi nhận Ban đại diện cha mẹ học sinh .* năm học 2026-2027 \(3 phụ huynh\) và đã báo tin cho 3 phụ huynh/);
    expect(await schoolVersions()).toBe(1);
    const kept = await t.app.db.models.BoardMembership.find({ schoolId: demo.schoolId, scope: "school" }).lean();
    expect(kept.map((m) => `${m.position}:${m.identityId}`).sort()).toEqual([
      `head:${await identityOf(binhMom)}`, `deputy:${await identityOf(baoMom)}`, `member:${await identityOf(huyMom)}`,
    ].sort());
    await told(binhMom, /Trưởng ban Ban đại diện cha mẹ học sinh của trường, nhiệm kỳ năm học 2026-2027/);
    await told(baoMom, /Phó trưởng ban Ban đại diện cha mẹ học sinh của trường/);
    await told(huyMom, /thành viên Ban đại diện cha mẹ học sinh của trường/);
    expect((await rolesOf(t.app.db.models, await identityOf(binhMom))).board).toEqual(expect.arrayContaining([expect.objectContaining({ scope: "school", position: "head" })]));

    // The office console shows the board the bot recorded (the school office's read-only page).
    const { url } = await issueConsoleLink(t.app.db.models, { schoolId: demo.schoolId, identityId: "", role: "admin", classGroupId: "" }, t.app.url!, new Date());
    const cookie = (await fetch(url, { redirect: "manual" })).headers.get("set-cookie")!.split(";")[0]!;
    const page = await (await fetch(`${t.app.url}/admin/board`, { headers: { cookie } })).text();
    expect(page).toContain("Trưởng ban: phụ huynh em Trần Thị Bình (6A1)");
    expect(page).toContain("Phó trưởng ban: phụ huynh em Đặng Quốc Bảo (6A2)");
    expect(page).toContain("Thành viên: phụ huynh em Phạm Gia Huy (6A1)");
  });

  it("a homeroom teacher and a parent are refused kindly and record nothing; the principal may type the menu entry", async () => {
    const versions = await schoolVersions();
    for (const user of [teacher, anMom]) {
      await as(user, { say: "/menu" });
      expect(buttonsOf(user)).not.toContain("Ban đại diện trường");
      const reply = await as(user, { press: `bs-${demo.schoolId}` });
      expect(reply).toMatch(/do Ban giám hiệu nhà trường thực hiện; .* không có quyền ghi nhận ban này\. Nếu cần điều chỉnh danh sách ban/);
      expect(reply).not.toContain("Trần Thị Bình");
      // Typing on after the refusal reaches no open flow.
      expect(await as(user, { say: "1, 2, 3" })).not.toMatch(/Trưởng ban/);
    }
    expect(await schoolVersions()).toBe(versions);
    // Typed instead of pressed (Zalo shows the menu as a numbered list): the principal's one school opens.
    await as(principal, { say: "/menu" });
    expect(await as(principal, { say: "ban dai dien truong" })).toMatch(/năm học 2026-2027 do Trưởng ban, Phó trưởng ban các lớp bầu ra[\s\S]*\d\. Trần Thị Bình \(6A1\)/);
    await as(principal, { say: "/huy" });
    expect(await schoolVersions()).toBe(versions);
  });

  it("the school-wide start-of-year meeting's menu offers the principal 'Ghi nhận Ban đại diện trường', which records the school board; the homeroom teacher never gets it; staff never saw a phone number or a handle", async () => {
    const versions = await schoolVersions();
    await as(principal, { say: "/hop" });
    await as(principal, { press: t.button(principal, /đầu năm học/) });
    expect(buttonsOf(principal)).toContain("Ghi nhận Ban đại diện trường");
    expect(buttonsOf(principal)).not.toContain("Ghi nhận Ban đại diện lớp");
    const record = t.button(principal, /^Ghi nhận Ban đại diện trường$/);
    expect(record).toBe(`bs-${demo.schoolId}`);
    const list = await as(principal, { press: record });
    expect(list).toContain(`Ban đại diện cha mẹ học sinh ${demo.schoolName} năm học 2026-2027 do Trưởng ban, Phó trưởng ban các lớp bầu ra`);
    const n = numbersIn(list);
    expect(await as(principal, { say: `${n.get("Phạm Gia Huy (6A1)")}, ${n.get("Hoàng Anh Khoa (6A2)")}` })).toMatch(/chọn Trưởng ban/);
    // Two people: the other one is the deputy.
    const summary = await as(principal, { press: t.button(principal, /PH em Phạm Gia Huy/) });
    expect(summary).toContain("Trưởng ban: PH em Phạm Gia Huy (6A1)");
    expect(summary).toContain("Phó trưởng ban: PH em Hoàng Anh Khoa (6A2)");
    expect(await as(principal, { press: t.button(principal, /^Ghi nhận$/) })).toMatch(/đã ghi nhận Ban đại diện cha mẹ học sinh .* năm học 2026-2027 \(2 phụ huynh\)/);
    expect(await schoolVersions()).toBe(versions + 1);
    const kept = await t.app.db.models.BoardMembership.find({ schoolId: demo.schoolId, scope: "school" }).lean();
    expect(kept.map((m) => `${m.position}:${m.identityId}`).sort()).toEqual([`head:${await identityOf(huyMom)}`, `deputy:${await identityOf(binhMom)}`].sort());

    // The homeroom teacher's meetings are their class's: the school-wide one, and its school-board button, are not among them.
    await as(teacher, { say: "/hop" });
    expect(buttonsOf(teacher).filter((b) => /đầu năm học|Ban đại diện trường/.test(b))).toEqual([]);

    const all = transcript.join("\n");
    if (process.env.BOARD_TRANSCRIPT) console.log(all);
    for (const g of guardians) {
      expect(all).not.toContain(g.first_name.split(" ")[1]!);
      expect(all).not.toContain(g.username!);
    }
  });
});
