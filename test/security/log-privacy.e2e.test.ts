/**
 * Logs: an end-to-end scenario (a guardian links with a code, another raises a concern that
 * carries a phone number, the teacher answers) with the app logging at debug level into a
 * captured stream. No seeded phone number, name, handle, link code or message text may appear
 * anywhere in the output.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { Writable } from "node:stream";
import { startTestApp, type TestApp } from "../support/app-harness.js";
import { createLogger } from "../../src/app/logger.js";
import { seedDemo } from "../../src/features/school/demo.js";
import type { TgUser } from "../support/fake-telegram.js";
import { seedConcernWorld } from "../concerns/support/concern-fixture.js";

const linking: TgUser = { id: 7500001, first_name: "0987 654 321", last_name: "Quỳnh Xuân", username: "quynh_0987654321", language_code: "vi" };
const teacher: TgUser = { id: 7500002, first_name: "Lan", language_code: "vi" };
const anMom: TgUser = { id: 7500004, first_name: "0912.345.678", last_name: "Hoa Nguyễn Thị", username: "hoa_nguyen_0912", language_code: "vi" };

const concernText = "Con bị bạn giật mất hộp bút ZEBRAKIWI, nhờ cô gọi lại số 0903 112 358 giúp em ạ.";
const replyText = "Cô đã gặp hai em MANGOSTEEN và sẽ gọi lại cho gia đình chiều nay ạ.";

describe("logs carry no personal data", () => {
  let t: TestApp;
  let output = "";
  const sink = new Writable({ write(chunk: Buffer, _enc, done) { output += chunk.toString(); done(); } });

  beforeAll(async () => {
    t = await startTestApp("log-privacy", { logger: createLogger("debug", sink) });
  });
  afterAll(async () => { await t?.stop(); });

  it("debug output of linking, a concern with a phone number and a teacher reply names none of them", async () => {
    // Linking with a one-time code, as a guardian whose display name looks like a phone number.
    const demo = await seedDemo(t.app.db.models, { ttlDays: 30 });
    const code = demo.codes.guardians[1]!;
    expect(await t.say(linking, `/start ${code.code}`)).toContain("Quý vị có đồng ý không?");
    expect(await t.press(linking, t.button(linking, /Tôi đồng ý/))).toContain("liên kết thành công");

    // A concern carrying a phone number, and the teacher's reply.
    const account = t.telegram.token.split(":")[0]!;
    await seedConcernWorld(t.app.db.models, { account, userIds: { teacher: String(teacher.id), anMom: String(anMom.id) } });
    await t.say(teacher, "/phananh"); // a bot can only write to people who opened a chat with it
    expect(await t.say(anMom, "/phananh")).toMatch(/về con nào/);
    await t.press(anMom, t.button(anMom, /Nguyễn Văn An/));
    await t.press(anMom, t.button(anMom, /^Học tập$/));
    expect(await t.say(anMom, concernText)).toMatch(/xem lại/);
    // The first delivery to the teacher fails: the failure is logged (and retried).
    t.telegram.injectFault({ method: "sendMessage", error_code: 500, chatId: teacher.id, count: 1 });
    expect(await t.press(anMom, t.button(anMom, /^Gửi$/))).toMatch(/đã gửi phản ánh PA-0001/);
    await t.telegram.waitForSent((r) => String(r.chatId) === String(teacher.id) && String(r.params.text ?? "").includes("ZEBRAKIWI"), { timeoutMs: 20_000 });
    await t.press(teacher, t.button(teacher, /^Trả lời$/));
    expect(await t.say(teacher, replyText)).toMatch(/đã chuyển tin nhắn/);
    await t.telegram.waitForSent((r) => String(r.chatId) === String(anMom.id) && String(r.params.text ?? "").includes("MANGOSTEEN"), { timeoutMs: 20_000 });

    // The scenario logged (so the grep below can fail), a failure included.
    const lines = output.split("\n").filter(Boolean).map((l) => JSON.parse(l) as { level: number; msg: string });
    expect(lines.some((l) => l.msg === "concern created")).toBe(true);
    expect(lines.some((l) => l.level >= 40)).toBe(true); // the failed send was logged, error serializer included
    const digits = output.replace(/[\s.]/g, "");
    const leaks = [
      "0987654321", "0912345678", "0903112358", // phone numbers, whatever their separators
      "Quỳnh", "Hoa Nguyễn", "quynh_0987654321", "hoa_nguyen_0912", // names and handles
      "ZEBRAKIWI", "MANGOSTEEN", "giật mất hộp bút", "gọi lại cho gia đình", // message texts
      code.code, // the one-time link code
    ].filter((s) => output.includes(s) || (/^\d+$/.test(s) && digits.includes(s)));
    expect(leaks).toEqual([]);
  }, 60_000);
});
