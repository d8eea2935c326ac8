import { describe, it, expect, afterAll, beforeAll } from "vitest";
import { startTestApp, type TestApp } from "../support/app-harness.js";
import { seedDemo } from "../../src/features/school/demo.js";

describe("smoke", () => {
  let t: TestApp;
  beforeAll(async () => { t = await startTestApp("smoke"); });
  afterAll(async () => { await t?.stop(); });

  it("links a guardian by deep link after consent", async () => {
    const demo = await seedDemo(t.app.db.models, { ttlDays: 30 });
    const lan = { id: 5550001111, first_name: "Lan", language_code: "vi" };
    const code = demo.codes.guardians[0]!.code;
    expect(await t.say(lan, `/start ${code}`)).toMatch(/Mã hợp lệ/);
    await t.telegram.waitForSent((r) => /đồng ý không/.test(String(r.params.text)));
    const reply = await t.press(lan, t.button(lan, /Tôi đồng ý/));
    expect(reply).toMatch(/liên kết thành công/);
  });
});
