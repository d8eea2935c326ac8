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
import { describe, expect, it } from "vitest";
import { issueConsoleLink } from "../../src/features/console/sign-in.js";
import { SLIPS_PER_PAGE } from "../../src/features/console/slips.js";
import { useConsoleSession } from "../support/console-session.js";

// jsqr is CommonJS with `export default` typings: under ESM its default is the module object.
const jsQR = ((jsQRModule as unknown as { default?: typeof jsQRModule }).default ?? jsQRModule) as unknown as (data: Uint8ClampedArray, w: number, h: number) => { data: string } | null;

describe("the school office console", { timeout: 120_000 }, () => {
  const s = useConsoleSession("console");

  it("a parent gets no link; the principal's link opens the console once", async () => {
    expect(await s.chat("guardian", "/quantri")).toContain("dành cho Ban giám hiệu");
    const reply = await s.chat("principal", "/quantri");
    const url = /(http:\/\/\S+\/admin\/login\?t=\S+)/.exec(reply)![1]!;
    await s.page.goto(url);
    await expect.poll(() => s.page.textContent("h1")).toBe("Tổng quan");
    expect(await s.page.textContent("table")).toContain("6A1");
    await s.page.screenshot({ path: join(s.dir, "1-overview.png") });
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
    const file = join(s.dir, "danh-sach-6a3.xlsx");
    writeFileSync(file, Buffer.from(await book.xlsx.writeBuffer()));

    await s.page.click("text=Nhập danh sách học sinh");
    await s.page.setInputFiles("input[type=file]", file);
    await s.page.click("button:has-text('Xem trước')");
    await expect.poll(() => s.page.textContent("h1")).toContain("Xem trước");
    const table = (await s.page.textContent("main"))!;
    expect(table).toContain("Thêm mới");
    expect(table).toMatch(/4.*Lý Thu Trang.*Từ chối: date of birth "30\/02\/2014"/s);
    expect(await s.app.db.models.Student.countDocuments({ schoolId: s.schoolId, fullName: "Ngô Bảo Châu" })).toBe(0);
    await s.page.screenshot({ path: join(s.dir, "2-review.png"), fullPage: true });

    const applyForm = Object.fromEntries(await s.page.$$eval("#apply input[type=hidden]", (inputs) => inputs.map((i) => [(i as HTMLInputElement).name, (i as HTMLInputElement).value])));
    await s.page.click("button:has-text('Áp dụng')");
    await expect.poll(() => s.page.textContent("h1")).toContain("Đã nhập");
    expect(await s.app.db.models.Student.countDocuments({ schoolId: s.schoolId, fullName: { $in: ["Ngô Bảo Châu", "Đỗ Minh Quân"] } })).toBe(2);
    // The same reviewed upload posted again (a double click, a resent form): applied once.
    const again = await s.page.request.post(`${s.app.url}/admin/roster/apply`, { form: applyForm, headers: { origin: s.app.url! } });
    expect(again.status()).toBe(410);
    expect(await again.text()).toContain("đã được áp dụng");
  });

  it("prints slips only for the families not linked yet; their QR codes are the deep links", async () => {
    await s.page.goto(`${s.app.url}/admin`);
    await s.page.click("a:has-text('6A1')");
    await expect.poll(() => s.page.textContent("h1")).toBe("Lớp 6A1");
    expect(await s.page.textContent("main")).toContain("Đã liên kết (1)");
    await s.page.screenshot({ path: join(s.dir, "3-class.png"), fullPage: true });
    const href = await s.page.getAttribute("a:has-text('In phiếu mời')", "href");
    const pdf = Buffer.from(await (await s.page.request.get(`${s.app.url}${href}`)).body());
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    const pdfFile = join(s.dir, "slips.pdf");
    writeFileSync(pdfFile, pdf);
    execFileSync("pdftoppm", ["-r", "150", "-png", pdfFile, join(s.dir, "slips")]);
    const pages = readdirSync(s.dir).filter((f) => /^slips-\d+\.png$/.test(f));
    // 6A1 has five pupils; An's and Bình's families are linked in the demo: three slips, one page.
    expect(pages).toHaveLength(1);
    expect(SLIPS_PER_PAGE).toBe(8);
    const png = PNG.sync.read(readFileSync(join(s.dir, pages[0]!)));
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
    const codes = await s.app.db.models.InviteCode.find({ schoolId: s.schoolId, "grant.kind": "guardian" }).lean();
    for (const link of links) {
      expect(link).toMatch(/^https:\/\/t\.me\/truong_nd_bot\?start=[0-9A-Z]{13}$/);
      expect(codes.map((c) => c._id)).toContain(link.split("=")[1]);
    }
  });

  it("shows the reports with bar charts and downloads them as XLSX and CSV", async () => {
    await s.page.goto(`${s.app.url}/admin`);
    await s.page.click("header a:has-text('Báo cáo')");
    await expect.poll(() => s.page.textContent("h1")).toBe("Báo cáo");
    const main = (await s.page.textContent("main"))!;
    expect(main).toContain("Gia đình đã liên kết");
    expect(main).toContain("2/5"); // 6A1: An's and Bình's families of five
    expect(await s.page.locator(".bar").count()).toBeGreaterThan(0);
    expect(await s.page.locator("script").count()).toBe(0);
    await s.page.screenshot({ path: join(s.dir, "4-reports.png"), fullPage: true });
    const [download] = await Promise.all([s.page.waitForEvent("download"), s.page.click("a:has-text('Tải Excel')")]);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile((await download.path())!);
    expect(book.worksheets.map((ws) => ws.name)).toEqual(["Liên kết", "Thông báo", "Họp", "Phản ánh", "Khảo sát"]);
    const linked = book.getWorksheet("Liên kết")!.getSheetValues().find((r) => Array.isArray(r) && r[1] === "6A1") as unknown[];
    expect(linked.slice(1)).toEqual(["6A1", 5, 2]);
    const csv = await (await s.page.request.get(`${s.app.url}/admin/reports.csv`)).text();
    expect(csv).toContain("Liên kết,6A1,5,2");
  });

  it("refuses a form without its CSRF token or from another origin, and a teacher opening another class", async () => {
    const cookies = await s.page.context().cookies();
    const admin = `sll_admin=${cookies.find((c) => c.name === "sll_admin")!.value}`;
    const post = (headers: Record<string, string>) => fetch(`${s.app.url}/admin/roster/apply`, {
      method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", cookie: admin, ...headers }, body: "upload=x",
    });
    expect((await post({})).status).toBe(403);
    expect((await post({ origin: "https://evil.example" })).status).toBe(403);

    const classes = await s.app.db.models.ClassGroup.find({ schoolId: s.schoolId }).lean();
    const a1 = classes.find((c) => c.name === "6A1")!, a2 = classes.find((c) => c.name === "6A2")!;
    const teacher = await s.app.db.models.StaffRole.findOne({ schoolId: s.schoolId, role: "homeroom-teacher" }).lean();
    const { url } = await issueConsoleLink(s.app.db.models, { schoolId: s.schoolId, identityId: teacher!.identityId, role: "homeroom-teacher", classGroupId: a1._id }, s.app.url!, s.clock.now());
    const signIn = await fetch(url, { redirect: "manual" });
    expect(signIn.status).toBe(303);
    expect(signIn.headers.get("location")).toBe(`/admin/classes/${a1._id}`);
    const teacherCookie = signIn.headers.get("set-cookie")!.split(";")[0]!;
    expect(signIn.headers.get("set-cookie")).toMatch(/HttpOnly; SameSite=Strict/i);
    expect((await fetch(`${s.app.url}/admin/classes/${a1._id}`, { headers: { cookie: teacherCookie } })).status).toBe(200);
    expect((await fetch(`${s.app.url}/admin/classes/${a2._id}`, { headers: { cookie: teacherCookie } })).status).toBe(403);
    expect((await fetch(`${s.app.url}/admin/roster`, { headers: { cookie: teacherCookie } })).status).toBe(403);
    // The teacher's reports: their class only.
    const teacherCsv = await (await fetch(`${s.app.url}/admin/reports.csv`, { headers: { cookie: teacherCookie } })).text();
    expect(teacherCsv).toContain("Liên kết,6A1,");
    expect(teacherCsv).not.toContain("6A2");
    // Idle for more than 30 minutes: signed out.
    s.clock.advance(31 * 60_000);
    expect((await fetch(`${s.app.url}/admin/classes/${a1._id}`, { headers: { cookie: teacherCookie } })).status).toBe(401);
  });
});
