/**
 * Answers typed instead of pressed, as parents and teachers type them (without diacritics, in
 * their own words), through the real app and the fake Telegram Bot API on the demo school
 * (Cô Lan teaches 6A1). Found in an acceptance walk of the chat surface (DESIGN.md §5: "Typed
 * answers are matched without diacritics and case").
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { startTestApp, type TestApp } from "../support/app-harness.js";
import { FakeClock } from "../support/fakes.js";
import type { TgUser } from "../support/fake-telegram.js";
import { seedDemo, type DemoSeed } from "../../src/features/school/demo.js";

const lan: TgUser = { id: 7720001, first_name: "Lan", language_code: "vi" };
const hoa: TgUser = { id: 7720002, first_name: "Hoa", language_code: "vi" };

describe("typed answers (acceptance walk)", () => {
  // Monday 14/09/2026 09:00 in Hà Nội.
  const clock = new FakeClock(new Date("2026-09-14T09:00:00+07:00"));
  let t: TestApp;
  let demo: DemoSeed;

  beforeAll(async () => {
    t = await startTestApp("typed-answers", { clock });
    demo = await seedDemo(t.app.db.models, { ttlDays: 30 });
    await t.say(lan, `/start ${demo.codes.homeroomTeacher.code}`);
    await t.say(lan, "dong y");
    await t.say(hoa, `/start ${demo.codes.guardians.find((c) => c.className === "6A1")!.code}`);
    await t.say(hoa, "dong y");
  }, 60_000);
  afterAll(async () => { await t?.stop(); });

  it("a choice whose label starts with an emoji can be typed without it, and without diacritics", async () => {
    await t.say(lan, "/thongbao");
    expect(t.button(lan, /^✍️ Soạn thông báo mới$/)).toBeTruthy();
    expect(await t.say(lan, "soan thong bao moi")).toMatch(/gõ nội dung thông báo/);
    await t.say(lan, "/huy");
    await t.say(lan, "/hop");
    expect(t.button(lan, /^➕ Tạo cuộc họp mới$/)).toBeTruthy();
    expect(await t.say(lan, "  TẠO cuộc họp MỚI ")).toMatch(/cuộc họp nào ạ\?/);
    await t.say(lan, "/huy");
  });
});
