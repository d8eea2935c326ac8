/**
 * Staff and boards in the office console (issue 13), end to end in Debian's chromium
 * (playwright-core): the principal signs in by the bot's link, changes 6A1's homeroom teacher
 * mid-year (the old teacher's console session ends at once and both teachers are told in the
 * bot), records the class board (the chosen parents are told) and the school board from the
 * class heads and deputies, and reissues a pupil's code from the class page. The bot is the
 * playground's (the same engine and outbox as every channel). Screenshots go to the test's
 * temp folder.
 */
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { WEB_ACCOUNT } from "../../src/channels/web/parse-web.js";
import { issueConsoleLink } from "../../src/features/console/sign-in.js";
import { eventually } from "../support/eventually.js";
import { useConsoleSession } from "../support/console-session.js";

describe("staff and boards in the office console", { timeout: 180_000 }, () => {
  const s = useConsoleSession("console-staff");
  let a1 = "";

  /** Everything the bot has sent a playground person so far (replies and outbox deliveries). */
  const inbox = async (person: string) => {
    const res = await fetch(`${s.app.url}/playground/api/messages?person=${person}&after=0`, { headers: { cookie: s.cookie } });
    return ((await res.json()) as { messages: { outbound: { text?: string } }[] }).messages.map((m) => m.outbound.text ?? "").join("\n");
  };
  const signInLink = (reply: string) => /(http:\/\/\S+\/admin\/login\?t=\S+)/.exec(reply)![1]!;

  beforeAll(async () => {
    a1 = (await s.app.db.models.ClassGroup.findOne({ schoolId: s.schoolId, name: "6A1" }).lean())!._id;
  });

  it("changes 6A1's homeroom teacher: the old teacher's session ends at once, both teachers are told in the bot", async () => {
    // The current teacher has the class open in the console.
    const teacherSignIn = await fetch(signInLink(await s.chat("teacher", "/quantri")), { redirect: "manual" });
    const teacherCookie = teacherSignIn.headers.get("set-cookie")!.split(";")[0]!;
    expect((await fetch(`${s.app.url}/admin/classes/${a1}`, { headers: { cookie: teacherCookie } })).status).toBe(200);

    await s.page.goto(signInLink(await s.chat("principal", "/quantri")));
    await expect.poll(() => s.page.textContent("h1")).toBe("Tổng quan");
    await s.page.click("a:has-text('6A1')");
    await s.page.click("a:has-text('Phân công GVCN')");
    await expect.poll(() => s.page.textContent("h1")).toBe("Phân công GVCN lớp 6A1");
    expect(await s.page.textContent("main")).toContain("GVCN hiện nay: Cô Nguyễn Thị Lan");
    await s.page.selectOption("select[name=staffId]", { label: "Thầy Trần Văn Minh" });
    await s.page.screenshot({ path: join(s.dir, "1-homeroom-form.png"), fullPage: true });
    await s.page.click("button:has-text('Phân công')");
    await expect.poll(() => s.page.textContent("h1")).toBe("Đã phân công GVCN lớp 6A1");
    expect(await s.page.textContent("main")).toContain("Thầy Trần Văn Minh là GVCN lớp 6A1 từ hôm nay");
    await s.page.screenshot({ path: join(s.dir, "2-homeroom-done.png"), fullPage: true });

    // The old teacher: no console, no class; told in the bot. The new one: told, with the counts.
    expect((await fetch(`${s.app.url}/admin/classes/${a1}`, { headers: { cookie: teacherCookie } })).status).toBe(401);
    await eventually(async () => (await inbox("teacher")).includes("đã phân công giáo viên chủ nhiệm khác cho lớp 6A1"), { timeoutMs: 60_000, message: "the old teacher is told" });
    await eventually(async () => (await inbox("principal")).includes("từ hôm nay Thầy/Cô là giáo viên chủ nhiệm lớp 6A1"), { timeoutMs: 60_000, message: "the new teacher is told" });
    expect(await s.chat("teacher", "/quantri")).toContain("dành cho Ban giám hiệu");
    await s.page.goto(`${s.app.url}/admin`);
    expect(await s.page.textContent("table")).toContain("Thầy Trần Văn Minh");
  });

  it("records the class board (3–5 parents, one head, one deputy): the chosen parents are told; then the school board", async () => {
    // A third family of 6A1 links (the playground's guest, as Châu's parent).
    const guest = await s.app.db.models.ChannelIdentity.create({ channel: "web", account: WEB_ACCOUNT, externalUserId: `${s.sid}-guest`, chatId: `${s.sid}-guest`, displayName: "Phụ huynh em Châu" });
    const chau = (await s.app.db.models.Student.findOne({ schoolId: s.schoolId, fullName: "Lê Minh Châu" }).lean())!;
    await s.app.db.models.GuardianLink.create({ identityId: guest._id, studentId: chau._id, schoolId: s.schoolId });

    await s.page.goto(`${s.app.url}/admin/classes/${a1}`);
    await s.page.click("a:has-text('Ban đại diện CMHS lớp')");
    await expect.poll(() => s.page.textContent("h1")).toBe("Ban đại diện CMHS lớp 6A1");
    const position = (student: string) => `select[aria-label="Vị trí của phụ huynh em ${student}"]`;
    // Two parents only: refused with the rule.
    await s.page.selectOption(position("Nguyễn Văn An"), "head");
    await s.page.selectOption(position("Trần Thị Bình"), "deputy");
    await s.page.selectOption(position("Lê Minh Châu"), "");
    await s.page.click("button:has-text('Ghi nhận Ban đại diện lớp')");
    await expect.poll(() => s.page.textContent("[role=alert]")).toContain("từ 3 đến 5 phụ huynh");
    await s.page.selectOption(position("Nguyễn Văn An"), "head");
    await s.page.selectOption(position("Trần Thị Bình"), "deputy");
    await s.page.selectOption(position("Lê Minh Châu"), "member");
    await s.page.click("button:has-text('Ghi nhận Ban đại diện lớp')");
    await expect.poll(() => s.page.textContent("[role=status]")).toContain("Đã ghi nhận Ban đại diện; đã báo cho 3 phụ huynh");
    await s.page.screenshot({ path: join(s.dir, "3-class-board.png"), fullPage: true });
    await eventually(async () => (await inbox("guardian")).includes("Trưởng ban Ban đại diện cha mẹ học sinh lớp 6A1, nhiệm kỳ năm học 2026-2027"), { timeoutMs: 60_000, message: "the head is told" });
    await eventually(async () => (await inbox("guest")).includes("thành viên Ban đại diện cha mẹ học sinh lớp 6A1"), { timeoutMs: 60_000, message: "a member is told" });
    const board = await s.app.db.models.BoardMembership.find({ schoolId: s.schoolId, scope: "class", classGroupId: a1 }).lean();
    expect(board.map((m) => m.position).sort()).toEqual(["deputy", "head", "member"]);

    // The school board: from the class heads and deputies (Châu's parent, a member, is not offered).
    await s.page.click("header a:has-text('Ban đại diện trường')");
    await expect.poll(() => s.page.textContent("h1")).toBe("Ban đại diện CMHS trường");
    expect(await s.page.locator(position("Lê Minh Châu")).count()).toBe(0);
    await s.page.selectOption(position("Trần Thị Bình"), "head");
    await s.page.selectOption(position("Nguyễn Văn An"), "deputy");
    await s.page.click("button:has-text('Ghi nhận Ban đại diện trường')");
    await expect.poll(() => s.page.textContent("[role=status]")).toContain("Đã ghi nhận Ban đại diện; đã báo cho 2 phụ huynh");
    await s.page.screenshot({ path: join(s.dir, "4-school-board.png"), fullPage: true });
    await eventually(async () => (await inbox("board")).includes("Trưởng ban Ban đại diện cha mẹ học sinh của trường"), { timeoutMs: 60_000, message: "the school board head is told" });
  });

  it("revokes and reissues a pupil's code on the class page: the old code no longer links, the slip carries the new one", async () => {
    const huy = (await s.app.db.models.Student.findOne({ schoolId: s.schoolId, fullName: "Phạm Gia Huy" }).lean())!;
    const old = (await s.app.db.models.InviteCode.findOne({ "grant.studentId": huy._id, revoked: false }).lean())!._id;
    await s.page.goto(`${s.app.url}/admin/classes/${a1}`);
    await s.page.click("button[aria-label='Cấp mã mới — Phạm Gia Huy']");
    await expect.poll(() => s.page.textContent("[role=status]")).toContain("Mã mới của em Phạm Gia Huy");
    await s.page.screenshot({ path: join(s.dir, "5-code-reissued.png"), fullPage: true });
    const fresh = (await s.app.db.models.InviteCode.find({ "grant.studentId": huy._id, revoked: false }).lean()).map((c) => c._id);
    expect(fresh).toHaveLength(1);
    expect(fresh[0]).not.toBe(old);
    expect((await s.app.db.models.InviteCode.findById(old).lean())!.revoked).toBe(true);
    expect(await s.chat("guest", `/lienket ${old}`)).toContain("mã này không dùng được");
    const href = await s.page.getAttribute("a:has-text('In phiếu mời với mã mới')", "href");
    const pdf = await s.page.request.get(`${s.app.url}${href}`);
    expect(pdf.status()).toBe(200);
    expect(Buffer.from(await pdf.body()).subarray(0, 5).toString()).toBe("%PDF-");
  });

  it("refuses a homeroom change to a teacher's session, the school board to the school office, and any post without its CSRF token", async () => {
    const a2 = (await s.app.db.models.ClassGroup.findOne({ schoolId: s.schoolId, name: "6A2" }).lean())!._id;
    const session = async (role: "homeroom-teacher" | "admin", classGroupId: string, identityId: string) => {
      const { url } = await issueConsoleLink(s.app.db.models, { schoolId: s.schoolId, identityId, role, classGroupId }, s.app.url!, s.clock.now());
      const res = await fetch(url, { redirect: "manual" });
      const c = res.headers.get("set-cookie")!.split(";")[0]!;
      const csrf = /name="_csrf" value="([^"]+)"/.exec(await (await fetch(`${s.app.url}/admin`, { headers: { cookie: c } })).text())![1]!;
      return { cookie: c, csrf };
    };
    const post = (who: { cookie: string }, path: string, form: Record<string, string>) => fetch(`${s.app.url}${path}`, {
      method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", cookie: who.cookie }, body: new URLSearchParams(form).toString(),
    });
    // The new homeroom teacher of 6A1 (the principal's identity, from the first test) as a teacher session.
    const minh = (await s.app.db.models.StaffRole.findOne({ schoolId: s.schoolId, role: "homeroom-teacher", classGroupId: a1 }).lean())!;
    const teacher = await session("homeroom-teacher", a1, minh.identityId);
    expect((await post(teacher, `/admin/classes/${a1}/homeroom`, { _csrf: teacher.csrf, staffId: minh.staffId, seen: "1" })).status).toBe(403);
    expect((await post(teacher, `/admin/classes/${a2}/board`, { _csrf: teacher.csrf, seen: "0" })).status).toBe(403);
    expect((await fetch(`${s.app.url}/admin/staff`, { headers: { cookie: teacher.cookie } })).status).toBe(403);
    const office = await session("admin", "", "");
    expect((await fetch(`${s.app.url}/admin/staff`, { headers: { cookie: office.cookie } })).status).toBe(200);
    expect((await post(office, "/admin/board", { _csrf: office.csrf, seen: "1" })).status).toBe(403);
    expect((await post(office, "/admin/staff", { fullName: "Không Có Mã" })).status).toBe(403);
    expect(await s.app.db.models.Staff.countDocuments({ schoolId: s.schoolId, fullName: "Không Có Mã" })).toBe(0);
    // A stale form (the class's homeroom moved on since it was shown): told to look again, nothing changes.
    const stale = await post(office, `/admin/classes/${a1}/homeroom`, { _csrf: office.csrf, staffId: (await s.app.db.models.Staff.findOne({ schoolId: s.schoolId, fullName: "Nguyễn Thị Lan" }).lean())!._id, seen: "0" });
    expect(stale.status).toBe(409);
    expect(await stale.text()).toContain("vừa được người khác thay đổi");
  });
});
