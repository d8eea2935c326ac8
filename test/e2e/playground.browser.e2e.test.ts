/**
 * The playground in a real browser: Debian's chromium driven by playwright-core (installed by
 * the test script when missing; never a downloaded browser), at phone width. Walks the meeting
 * scenario of the demo guide — the teacher creates a meeting, the board head agrees, a parent
 * answers — through the page, and saves screenshots under the test's temp folder.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromium, type Browser, type Page } from "playwright-core";
import { createApp, type App } from "../../src/app/container.js";
import { createLogger } from "../../src/app/logger.js";
import { testConfig } from "../support/test-config.js";
import { dropDatabase } from "../support/app-harness.js";
import { FakeClock } from "../support/fakes.js";

const CHROMIUM = "/usr/bin/chromium";

describe("the playground page in chromium, at phone width", { timeout: 120_000 }, () => {
  const config = testConfig("pg-browser");
  const shots = mkdtempSync(join(tmpdir(), "sll-playground-"));
  let app: App;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    // Monday 14/12/2026 10:00 in Hà Nội: outside quiet hours, whatever the time the test runs.
    app = await createApp(config, createLogger("silent"), { clock: new FakeClock(new Date("2026-12-14T03:00:00Z")) });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-dev-shm-usage"] });
    page = await browser.newPage({ viewport: { width: 400, height: 820 }, locale: "vi-VN" });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await dropDatabase(config.mongo.uri, config.mongo.db);
  });

  const person = (name: RegExp) => page.locator(".person", { hasText: name });
  const botSays = (text: RegExp) => page.locator(".msg.bot", { hasText: text }).last();
  const press = async (label: RegExp) => page.locator(".msg.bot .buttons button", { hasText: label }).last().click();
  const type = async (text: string) => {
    await page.fill("#text", text);
    await page.press("#text", "Enter");
  };

  it("opens the first person's menu at once, shows the guide, and fits the screen", async () => {
    await page.goto(`${app.url}/playground`);
    await expect.poll(() => page.locator(".person").count(), { timeout: 20_000 }).toBe(5);
    await botSays(/muốn làm gì|Kính chào|chức năng/i).waitFor({ timeout: 60_000 });
    expect(await page.locator("#guide").isVisible()).toBe(true);
    // Nothing wider than the phone: no horizontal scrolling of the page.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(400);
    await page.screenshot({ path: join(shots, "1-menu.png") });
  });

  it("walks the demo: Cô Lan creates a meeting, the board head agrees, An's parent answers", async () => {
    const date = "24/12/2026";

    await person(/Cô Nguyễn Thị Lan/).click();
    await botSays(/cần em giúp|muốn làm gì|chức năng/i).waitFor({ timeout: 60_000 });
    await type("/hop");
    await press(/Tạo cuộc họp mới/);
    await botSays(/cuộc họp nào/).waitFor();
    await press(/đầu năm học/);
    await botSays(/diễn ra lúc nào/).waitFor();
    await type(`${date} 19h30`);
    await botSays(/em hiểu là/).waitFor();
    await press(/^Đúng$/);
    await botSays(/địa điểm/i).waitFor();
    await type("Phòng học lớp 6A1");
    await botSays(/nội dung chính/).waitFor();
    await type("Bầu Ban đại diện CMHS; kế hoạch năm học");
    await botSays(/xem lại/).waitFor();
    await press(/^Gửi$/);
    await botSays(/đã gửi nội dung/).waitFor();
    await page.screenshot({ path: join(shots, "2-teacher.png") });

    await person(/Trần Thị Bình/).click();
    await botSays(/kính đề nghị Quý phụ huynh thống nhất nội dung/).waitFor({ timeout: 60_000 });
    await press(/^Đồng ý$/);
    await botSays(/Ban đại diện đồng ý/).waitFor();

    await person(/Nguyễn Văn An/).click();
    await botSays(/Kính gửi Quý phụ huynh em Nguyễn Văn An/).waitFor({ timeout: 60_000 });
    await press(/^Tham dự$/);
    await botSays(/đã ghi nhận cho em Nguyễn Văn An: Tham dự/).waitFor();
    await page.screenshot({ path: join(shots, "3-guardian.png"), fullPage: true });
  });
});
