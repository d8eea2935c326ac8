/**
 * The school office console, end to end in Debian's chromium (playwright-core): the principal
 * asks the bot for a link (/quantri, through the same engine as every channel), signs in,
 * uploads a workbook, reviews it row by row, applies it, opens a class and prints the invite
 * slips — whose QR codes, read back from the PDF pages rendered by pdftoppm, are the deep
 * links. Refusals (reused link, missing CSRF token, another origin, a teacher opening another
 * class) are checked with plain HTTP. Screenshots go to the test's temp folder.
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import ExcelJS from "exceljs";
import jsQRModule from "jsqr";
import { PNG } from "pngjs";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { App } from "../../src/app/container.js";
import { issueConsoleLink } from "../../src/features/console/sign-in.js";
import { SLIPS_PER_PAGE } from "../../src/features/console/slips.js";
import { FakeClock } from "../support/fakes.js";
import { startConsoleSession, type ConsoleSession } from "../support/console-session.js";

// jsqr is CommonJS with `export default` typings: under ESM its default is the module object.
const jsQR = ((jsQRModule as unknown as { default?: typeof jsQRModule }).default ?? jsQRModule) as unknown as (data: Uint8ClampedArray, w: number, h: number) => { data: string } | null;

describe("the school office console", { timeout: 120_000 }, () => {
  const clock = new FakeClock(new Date("2026-12-14T03:00:00Z"));
  let session: ConsoleSession;
  let dir = "";
  let app: App;
  let page: Page;
  let schoolId = "";

  const chat = (person: string, text: string) => session.chat(person, text);

  beforeAll(async () => {
    session = await startConsoleSession("console", { clock });
    ({ app, schoolId, page, dir } = session);
  });
  afterAll(async () => { await session?.stop(); });

  it("a parent gets no link; the principal's link opens the console once", async () => {
    expect(await chat("guardian", "/quantri")).toContain("dành cho Ban giám hiệu");
    const reply = await chat("principal", "/quantri");
    const url = /(http:\/\/\S+\/admin\/login\?t=\S+)/.exec(reply)![1]!;
    await page.goto(url);
    await expect.poll(() => page.textContent("h1")).toBe("Tổng quan");
    expect(await page.textContent("table")).toContain("6A1");
    await page.screenshot({ path: join(dir, "1-overview.png") });
    // The same link again: a clear page, no session.
    const again = await fetch(url, { redirect: "manual" });
    expect(again.status).toBe(410);
    expect(again.headers.get("set-cookie")).toBeNull();
    expect(await again.text()).toContain("đã hết hạn hoặc đã được dùng");
  });

  it("uploads a workbook, shows the dry run row by row, applies it once", async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet("DS");
    sheet.addRow(["DANH SÁCH HỌC SINH LỚP 6A3"]);
    sheet.addRow(["STT", "Họ và tên", "Ngày sinh", "Lớp", "SĐT phụ huynh"]);
    sheet.addRow([1, "Ngô Bảo Châu", "15/06/2014", "6a3", "0903 123 456"]);
    sheet.addRow([2, "Lý Thu Trang", "30/02/2014", "6A3", ""]);
    sheet.addRow([3, "Đỗ Minh Quân", "01/01/2014", "6A3", ""]);
    sheet.mergeCells("A1:E1");
    const file = join(dir, "danh-sach-6a3.xlsx");
    writeFileSync(file, Buffer.from(await book.xlsx.writeBuffer()));

    await page.click("text=Nhập danh sách học sinh");
    await page.setInputFiles("input[type=file]", file);
    await page.click("button:has-text('Xem trước')");
    await expect.poll(() => page.textContent("h1")).toContain("Xem trước");
    const table = (await page.textContent("main"))!;
    expect(table).toContain("Thêm mới");
    expect(table).toMatch(/4.*Lý Thu Trang.*Từ chối: date of birth "30\/02\/2014"/s);
    expect(await app.db.models.Student.countDocuments({ schoolId, fullName: "Ngô Bảo Châu" })).toBe(0);
    await page.screenshot({ path: join(dir, "2-review.png"), fullPage: true });

    const applyForm = Object.fromEntries(await page.$$eval("#apply input[type=hidden]", (inputs) => inputs.map((i) => [(i as HTMLInputElement).name, (i as HTMLInputElement).value])));
    await page.click("button:has-text('Áp dụng')");
    await expect.poll(() => page.textContent("h1")).toContain("Đã nhập");
    expect(await app.db.models.Student.countDocuments({ schoolId, fullName: { $in: ["Ngô Bảo Châu", "Đỗ Minh Quân"] } })).toBe(2);
    // The same reviewed upload posted again (a double click, a resent form): applied once.
    const again = await page.request.post(`${app.url}/admin/roster/apply`, { form: applyForm, headers: { origin: app.url! } });
    expect(again.status()).toBe(410);
    expect(await again.text()).toContain("đã được áp dụng");
  });

  it("prints slips only for the families not linked yet; their QR codes are the deep links", async () => {
    await page.goto(`${app.url}/admin`);
    await page.click("a:has-text('6A1')");
    await expect.poll(() => page.textContent("h1")).toBe("Lớp 6A1");
    expect(await page.textContent("main")).toContain("Đã liên kết (1)");
    await page.screenshot({ path: join(dir, "3-class.png"), fullPage: true });
    const href = await page.getAttribute("a:has-text('In phiếu mời')", "href");
    const pdf = Buffer.from(await (await page.request.get(`${app.url}${href}`)).body());
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    const pdfFile = join(dir, "slips.pdf");
    writeFileSync(pdfFile, pdf);
    execFileSync("pdftoppm", ["-r", "150", "-png", pdfFile, join(dir, "slips")]);
    const pages = readdirSync(dir).filter((f) => /^slips-\d+\.png$/.test(f));
    // 6A1 has five pupils; An's and Bình's families are linked in the demo: three slips, one page.
    expect(pages).toHaveLength(1);
    expect(SLIPS_PER_PAGE).toBe(8);
    const png = PNG.sync.read(readFileSync(join(dir, pages[0]!)));
    const links = new Set<string>();
    // Each slip is a quarter of the page's height and half its width; the QR sits at its right.
    const w = Math.floor(png.width / 2), h = Math.floor(png.height / 4);
    for (let row = 0; row < 4; row++)
      for (let col = 0; col < 2; col++) {
        const crop = new Uint8ClampedArray(w * h * 4);
        for (let y = 0; y < h; y++) {
          const from = ((row * h + y) * png.width + col * w) * 4;
          crop.set(png.data.subarray(from, from + w * 4), y * w * 4);
        }
        const qr = jsQR(crop, w, h);
        if (qr) links.add(qr.data);
      }
    expect(links.size).toBe(3);
    const codes = await app.db.models.InviteCode.find({ schoolId, "grant.kind": "guardian" }).lean();
    for (const link of links) {
      expect(link).toMatch(/^https:\/\/t\.me\/truong_nd_bot\?start=[0-9A-Z]{13}$/);
      expect(codes.map((c) => c._id)).toContain(link.split("=")[1]);
    }
  });

  it("shows the reports with bar charts and downloads them as XLSX and CSV", async () => {
    await page.goto(`${app.url}/admin`);
    await page.click("header a:has-text('Báo cáo')");
    await expect.poll(() => page.textContent("h1")).toBe("Báo cáo");
    const main = (await page.textContent("main"))!;
    expect(main).toContain("Gia đình đã liên kết");
    expect(main).toContain("2/5"); // 6A1: An's and Bình's families of five
    expect(await page.locator(".bar").count()).toBeGreaterThan(0);
    expect(await page.locator("script").count()).toBe(0);
    await page.screenshot({ path: join(dir, "4-reports.png"), fullPage: true });
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("a:has-text('Tải Excel')")]);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile((await download.path())!);
    expect(book.worksheets.map((ws) => ws.name)).toEqual(["Liên kết", "Thông báo", "Họp", "Phản ánh", "Khảo sát"]);
    const linked = book.getWorksheet("Liên kết")!.getSheetValues().find((r) => Array.isArray(r) && r[1] === "6A1") as unknown[];
    expect(linked.slice(1)).toEqual(["6A1", 5, 2]);
    const csv = await (await page.request.get(`${app.url}/admin/reports.csv`)).text();
    expect(csv).toContain("Liên kết,6A1,5,2");
  });

  it("refuses a form without its CSRF token or from another origin, and a teacher opening another class", async () => {
    const cookies = await page.context().cookies();
    const admin = `sll_admin=${cookies.find((c) => c.name === "sll_admin")!.value}`;
    const post = (headers: Record<string, string>) => fetch(`${app.url}/admin/roster/apply`, {
      method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", cookie: admin, ...headers }, body: "upload=x",
    });
    expect((await post({})).status).toBe(403);
    expect((await post({ origin: "https://evil.example" })).status).toBe(403);

    const classes = await app.db.models.ClassGroup.find({ schoolId }).lean();
    const a1 = classes.find((c) => c.name === "6A1")!, a2 = classes.find((c) => c.name === "6A2")!;
    const teacher = await app.db.models.StaffRole.findOne({ schoolId, role: "homeroom-teacher" }).lean();
    const { url } = await issueConsoleLink(app.db.models, { schoolId, identityId: teacher!.identityId, role: "homeroom-teacher", classGroupId: a1._id }, app.url!, clock.now());
    const signIn = await fetch(url, { redirect: "manual" });
    expect(signIn.status).toBe(303);
    expect(signIn.headers.get("location")).toBe(`/admin/classes/${a1._id}`);
    const teacherCookie = signIn.headers.get("set-cookie")!.split(";")[0]!;
    expect(signIn.headers.get("set-cookie")).toMatch(/HttpOnly; SameSite=Strict/i);
    expect((await fetch(`${app.url}/admin/classes/${a1._id}`, { headers: { cookie: teacherCookie } })).status).toBe(200);
    expect((await fetch(`${app.url}/admin/classes/${a2._id}`, { headers: { cookie: teacherCookie } })).status).toBe(403);
    expect((await fetch(`${app.url}/admin/roster`, { headers: { cookie: teacherCookie } })).status).toBe(403);
    // The teacher's reports: their class only.
    const teacherCsv = await (await fetch(`${app.url}/admin/reports.csv`, { headers: { cookie: teacherCookie } })).text();
    expect(teacherCsv).toContain("Liên kết,6A1,");
    expect(teacherCsv).not.toContain("6A2");
    // Idle for more than 30 minutes: signed out.
    clock.advance(31 * 60_000);
    expect((await fetch(`${app.url}/admin/classes/${a1._id}`, { headers: { cookie: teacherCookie } })).status).toBe(401);
  });
});
