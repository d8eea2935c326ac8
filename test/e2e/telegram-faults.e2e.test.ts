import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { startTestApp, type TestApp } from "../support/app-harness.js";
import { eventually } from "../support/eventually.js";
import { deliveryStatus } from "../support/deliveries.js";
import { say } from "../../src/engine/say.js";

describe("Telegram answering 429 and 403", () => {
  let t: TestApp;
  beforeAll(async () => { t = await startTestApp("faults"); });
  afterAll(async () => { await t?.stop(); });

  const account = () => t.app.telegram!.account;
  const addressOf = (id: number) => ({ channel: "telegram" as const, account: account(), userId: String(id), chatId: String(id) });

  it("an interactive reply hit by 429 is retried after retry_after and still arrives", async () => {
    const an = { id: 7770001111, first_name: "An" };
    t.telegram.knownChat(an.id);
    t.telegram.injectFault({ method: "sendMessage", error_code: 429, retry_after: 1, chatId: an.id });
    expect(await t.say(an, "/trogiup")).toContain("mã liên kết");
    expect(t.telegram.faults().some((f) => f.error_code === 429)).toBe(true);
  });

  it("an outbox send hit by 429 pauses and is delivered once; a 403 marks the recipient unreachable without retrying", async () => {
    const ok = { id: 7770002222, first_name: "Binh" }, gone = { id: 7770003333, first_name: "Chau" };
    t.telegram.knownChat(ok.id);
    t.telegram.knownChat(gone.id);
    await t.app.db.models.ChannelIdentity.create({ channel: "telegram", account: account(), externalUserId: String(gone.id), chatId: String(gone.id) });
    t.telegram.block(gone.id);
    t.telegram.injectFault({ method: "sendMessage", error_code: 429, retry_after: 1, chatId: ok.id });
    await t.app.services.outbox.enqueue([
      { key: "test-429", recipient: addressOf(ok.id), messages: [say("menu-hint")] },
      { key: "test-403", recipient: addressOf(gone.id), messages: [say("menu-hint")] },
    ]);
    await eventually(async () => (await deliveryStatus(t.app.db.models, "test-429")) === "sent", { timeoutMs: 15_000 });
    await eventually(async () => (await deliveryStatus(t.app.db.models, "test-403")) === "unreachable");
    expect(t.telegram.sent({ chatId: ok.id })).toHaveLength(1);
    expect(t.telegram.calls("sendMessage").filter((c) => String(c.params.chat_id) === String(gone.id))).toHaveLength(1);
    expect((await t.app.db.models.ChannelIdentity.findOne({ externalUserId: String(gone.id) }).lean())?.reachable).toBe(false);
  });

  it("enqueuing the same item twice sends it once", async () => {
    const dung = { id: 7770004444, first_name: "Dung" };
    t.telegram.knownChat(dung.id);
    const item = { key: "test-dedupe", recipient: addressOf(dung.id), messages: [say("menu-hint")] };
    await t.app.services.outbox.enqueue([item]);
    await eventually(async () => (await deliveryStatus(t.app.db.models, "test-dedupe")) === "sent");
    await t.app.services.outbox.enqueue([item]);
    await t.app.services.outbox.enqueue([{ ...item, key: "test-dedupe-marker" }]);
    await eventually(async () => (await deliveryStatus(t.app.db.models, "test-dedupe-marker")) === "sent");
    expect(t.telegram.sent({ chatId: dung.id })).toHaveLength(2);
  });

  it("a person who blocked the bot is marked unreachable when a reply fails with 403", async () => {
    const em = { id: 7770005555, first_name: "Em" };
    await t.app.db.models.ChannelIdentity.create({ channel: "telegram", account: account(), externalUserId: String(em.id), chatId: String(em.id) });
    t.telegram.knownChat(em.id);
    t.telegram.injectFault({ method: "sendMessage", error_code: 403, description: "Forbidden: bot was blocked by the user", chatId: em.id, count: 5 });
    await t.say(em, "/trogiup");
    expect((await t.app.db.models.ChannelIdentity.findOne({ externalUserId: String(em.id) }).lean())?.reachable).toBe(false);
  });
});
