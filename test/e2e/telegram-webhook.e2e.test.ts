import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { startTestApp, type TestApp } from "../support/app-harness.js";
import { seedDemo } from "../../src/features/school/demo.js";
import { eventually } from "../support/eventually.js";

describe("Telegram webhook mode", () => {
  let t: TestApp;
  beforeAll(async () => { t = await startTestApp("webhook", { webhook: true }); });
  afterAll(async () => { await t?.stop(); });

  const post = (body: string, secret?: string) =>
    fetch(`${t.app.url}/telegram/webhook`, { method: "POST", headers: { "content-type": "application/json", ...(secret ? { "x-telegram-bot-api-secret-token": secret } : {}) }, body });

  it("registers the webhook with the secret and never long-polls", async () => {
    expect(t.telegram.calls("setWebhook")[0]?.params).toMatchObject({ secret_token: "test-secret_123" });
    expect(t.telegram.calls("getUpdates")).toHaveLength(0);
  });

  it("links a guardian through webhook deliveries", async () => {
    const demo = await seedDemo(t.app.db.models, { ttlDays: 30 });
    const hoa = { id: 6660001111, first_name: "Hoa 0912000111" };
    const notice = await t.say(hoa, `/start ${demo.codes.guardians[1]!.code}`);
    expect(notice).toContain("Quý vị có đồng ý không?");
    expect(notice).toContain("không lưu tên hiển thị");
    expect(await t.press(hoa, t.button(hoa, /Tôi đồng ý/))).toContain("liên kết thành công");
    // What the notice says: the messenger's display name (here with a phone number in it) is not kept.
    const identity = (await t.app.db.models.ChannelIdentity.findOne({ externalUserId: String(hoa.id) }).lean())!;
    expect(identity.displayName ?? "").toBe("");
    expect(JSON.stringify(await t.app.db.models.ChannelIdentity.find({}).lean())).not.toContain("0912000111");
    // The school's link tapped again: already linked, no privacy notice to agree to again.
    const again = await t.say(hoa, `/start ${demo.codes.guardians[1]!.code}`);
    expect(again).toContain("đã liên kết với mã này từ trước");
    expect(again).not.toContain("Quý vị có đồng ý không?");
    // The fake records the app's answer once it has read it: wait for every delivery's status.
    await eventually(() => t.telegram.webhookDeliveries().every((d) => d.status !== null));
    expect(t.telegram.webhookDeliveries().every((d) => d.secretTokenSent && d.status === 200)).toBe(true);
  });

  it("answers 401 to a wrong secret, 400 to a malformed or oversized body, and keeps running", async () => {
    const update = JSON.stringify({ update_id: 1, message: { message_id: 1, date: 1, chat: { id: 1, type: "private" }, from: { id: 1, is_bot: false, first_name: "x" }, text: "/trogiup" } });
    expect((await post(update, "wrong")).status).toBe(401);
    expect((await post(update)).status).toBe(401);
    expect((await post("{not json", "test-secret_123")).status).toBe(400);
    expect((await post(JSON.stringify({ hello: 1 }), "test-secret_123")).status).toBe(400);
    expect((await post(JSON.stringify({ update_id: 2, junk: "x".repeat(1_100_000) }), "test-secret_123")).status).toBe(400);
    expect((await fetch(`${t.app.url}/healthz`)).status).toBe(200);
    expect(t.telegram.sent({ chatId: 1 })).toHaveLength(0);
  });

  it("reports readiness of MongoDB and Redis", async () => {
    expect(await (await fetch(`${t.app.url}/readyz`)).json()).toEqual({ status: "ready", mongo: true, redis: true });
  });
});
