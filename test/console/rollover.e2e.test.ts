/**
 * The year rollover and the queue dashboard in the console, end to end in Debian's chromium
 * (playwright-core): the principal signs in by the bot's link, opens the rollover preview
 * (every class move, every leaving pupil, the new calendar with Tết), applies it, and a second
 * "apply" changes nothing; then opens Bull Board under /admin/queues, which refuses anybody
 * without a principal's or school admin's session. Screenshots go to the test's temp folder.
 */
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { issueConsoleLink } from "../../src/features/console/sign-in.js";
import { useConsoleSession } from "../support/console-session.js";


describe("the year rollover and the queue dashboard in the console", { timeout: 180_000 }, () => {
  const s = useConsoleSession("rollover-e2e");

  beforeAll(async () => {
    // A final-grade class, so somebody leaves.
    const year = (await s.app.db.models.SchoolYear.findOne({ schoolId: s.schoolId }).lean())!;
    const c9 = await s.app.db.models.ClassGroup.create({ schoolId: s.schoolId, yearId: year._id, name: "9A1", grade: 9 });
    await s.app.db.models.Student.create({ schoolId: s.schoolId, classGroupId: c9._id, fullName: "Trịnh Công Sơn", studentCode: "E2E-9A1-1" });
  });

  it("previews the rollover, applies it once, and a second apply changes nothing", async () => {
    // Summer: the new year starts within 120 days.
    s.clock.set("2027-07-15T03:00:00Z");
    const url = /(http:\/\/\S+\/admin\/login\?t=\S+)/.exec(await s.chat("principal", "/quantri"))![1]!;
    await s.page.goto(url);
    await expect.poll(() => s.page.textContent("h1")).toBe("Tổng quan");
    await s.page.click("header a:has-text('Chuyển năm học')");
    await expect.poll(() => s.page.textContent("h1")).toBe("Chuyển năm học 2026-2027 → 2027-2028");
    const moves = (await s.page.textContent("#moves"))!;
    expect(moves).toMatch(/6A1\s*7A1\s*5/);
    expect(moves).toMatch(/6A2\s*7A2\s*3/);
    expect(await s.page.textContent("#leavers")).toContain("Trịnh Công Sơn");
    expect(await s.page.inputValue("textarea[name=holidays]")).toContain("2028-01-22..2028-02-01");
    expect(await s.page.locator("script").count()).toBe(0);
    await s.page.screenshot({ path: join(s.dir, "1-rollover-preview.png"), fullPage: true });
    expect(await s.app.db.models.SchoolYear.countDocuments({ schoolId: s.schoolId })).toBe(1);

    // The school's naming rule: a rule without {grade} is refused (nothing stored), a good one shows at once.
    const csrf = await s.page.inputValue("#apply input[name=_csrf]");
    const naming = (rule: string) => s.page.request.post(`${s.app.url}/admin/rollover/naming`, { form: { _csrf: csrf, naming: rule, finalGrade: "0" }, headers: { origin: s.app.url! }, maxRedirects: 0 });
    expect((await naming("A{suffix}")).status()).toBe(400);
    expect((await naming("{grade}{SUFFIX}")).status()).toBe(303);
    await s.page.reload();
    expect(await s.page.inputValue("input[name=naming]")).toBe("{grade}{SUFFIX}");

    const applyForm = Object.fromEntries(await s.page.$$eval("#apply input[type=hidden]", (inputs) => inputs.map((i) => [(i as HTMLInputElement).name, (i as HTMLInputElement).value])));
    await s.page.click("button:has-text('Áp dụng chuyển năm học')");
    await expect.poll(() => s.page.textContent("h1")).toBe("Đã chuyển sang năm học 2027-2028");
    await s.page.screenshot({ path: join(s.dir, "2-rollover-done.png"), fullPage: true });
    const next = (await s.app.db.models.SchoolYear.findOne({ schoolId: s.schoolId, name: "2027-2028" }).lean())!;
    expect((await s.app.db.models.ClassGroup.find({ yearId: next._id }).lean()).map((c) => c.name).sort()).toEqual(["7A1", "7A2"]);
    expect((await s.app.db.models.Student.findOne({ studentCode: "E2E-9A1-1" }).lean())!.leftAt).toBeInstanceOf(Date);
    expect(await s.app.db.models.Delivery.countDocuments({ _id: /^roll-/ })).toBeGreaterThan(0);
    // The overview now lists the new year's classes only.
    await s.page.click("a:has-text('Về trang tổng quan')");
    await expect.poll(() => s.page.textContent("h1")).toBe("Tổng quan");
    const overview = (await s.page.textContent("table"))!;
    expect(overview).toContain("7A1");
    expect(overview).not.toContain("6A1");

    // The same form posted again (a second admin, a resent form): one rollover.
    const again = await s.page.request.post(`${s.app.url}/admin/rollover/apply`, { form: applyForm, headers: { origin: s.app.url! } });
    expect(again.status()).toBe(200);
    const againText = await again.text();
    expect(againText).toContain("Năm học 2027-2028 đã được chuyển");
    // When, in the school's zone and the house format (the clock stands at 10:00 in Hà Nội).
    expect(againText).toContain("vào Thứ Năm, 15/07/2027 lúc 10:00");
    expect(await s.app.db.models.SchoolYear.countDocuments({ schoolId: s.schoolId })).toBe(2);
  });

  it("opens Bull Board under /admin/queues for the principal only", async () => {
    await s.page.click("header a:has-text('Hàng đợi')");
    await expect.poll(async () => (await s.page.textContent("body")) ?? "", { timeout: 30_000 }).toContain("outbox");
    expect(await s.page.textContent("body")).toContain("meeting-reminders");
    await s.page.screenshot({ path: join(s.dir, "3-queues.png"), fullPage: true });
    const api = await s.page.request.get(`${s.app.url}/admin/queues/api/queues`);
    expect(api.status()).toBe(200);

    expect((await fetch(`${s.app.url}/admin/queues`)).status).toBe(403);
    expect((await fetch(`${s.app.url}/admin/queues/api/queues`)).status).toBe(403);
    // A homeroom teacher of one of the new year's classes (the rollover cleared last year's assignments).
    const staff = await s.app.db.models.Staff.findOne({ schoolId: s.schoolId }).lean();
    const classes = await s.app.db.models.ClassGroup.find({ schoolId: s.schoolId }).sort({ createdAt: -1 }).lean();
    const teacher = await s.app.db.models.StaffRole.create({ identityId: "console-teacher", staffId: staff!._id, schoolId: s.schoolId, role: "homeroom-teacher", classGroupId: classes[0]!._id });
    const { url } = await issueConsoleLink(s.app.db.models, { schoolId: s.schoolId, identityId: teacher.identityId, role: "homeroom-teacher", classGroupId: classes[0]!._id }, s.app.url!, s.clock.now());
    const teacherCookie = (await fetch(url, { redirect: "manual" })).headers.get("set-cookie")!.split(";")[0]!;
    expect((await fetch(`${s.app.url}/admin/queues`, { headers: { cookie: teacherCookie } })).status).toBe(403);
    expect((await fetch(`${s.app.url}/admin/rollover`, { headers: { cookie: teacherCookie } })).status).toBe(403);
  });
});
