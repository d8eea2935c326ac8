/**
 * The outbox's route to a guardian on the OA, with the fake OA's clock (the app's clock follows
 * it): 47 h after the last interaction a free consultation message, 49 h a paid one only when
 * the school enabled paid sends (else its ZBS template), 8 days the template, else held until
 * the guardian writes. Each route is a delivery fact.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { say } from "../../src/engine/say.js";
import type { OutboxItem } from "../../src/engine/ports.js";
import { startOaApp, type OaTestApp } from "../support/oa-harness.js";
import { eventually } from "../support/eventually.js";

const HOUR = 3_600_000;
const TEMPLATE = "7895417a7d3f9461cd2e";

async function send(t: OaTestApp, key: string, group: string, userId: string): Promise<string> {
  const outbox = t.app.services.outbox as unknown as { enqueueGroup(group: string, items: OutboxItem[]): Promise<void> };
  const recipient = { channel: "zalo-oa" as const, account: t.fake.oaId, userId, chatId: userId };
  await outbox.enqueueGroup(group, [{ key, recipient, messages: [say("zalo-oa-reconnected")] }]);
  await eventually(async () => (await t.app.db.models.DeliveryMark.findById(`${key}|route-1`).lean()) !== null, { timeoutMs: 15_000, message: `no route for ${key}` });
  return String((await t.app.db.models.DeliveryMark.findById(`${key}|route-1`).lean())!.error);
}

describe("OA routing, paid sends off, a notice template configured", () => {
  let t: OaTestApp;
  beforeAll(async () => {
    t = await startOaApp("oa-route", { env: { ZALO_OA_TEMPLATES: `notice=${TEMPLATE},reminder=deadbeef00` } });
    t.fake.addTemplate({ id: TEMPLATE, params: [{ name: "noi_dung", maxLength: 400 }] });
  }, 60_000);
  afterAll(async () => { await t?.stop(); });

  it("47 h after the last interaction: a free consultation message", async () => {
    await t.deliver(t.fake.userEvent("1001", "follow"));
    t.advance(47 * HOUR);
    expect(await send(t, "r47", "n-x47", "1001")).toBe("consultation:free");
    expect(t.fake.sent.at(-1)).toMatchObject({ endpoint: "message/cs", to: "1001", cost: "free" });
    await eventually(async () => (await t.app.db.models.DeliveryMark.findById("r47|sent").lean()) !== null);
  });

  it("49 h: not a paid message (the school did not enable them) but the notice's ZBS template by user id", async () => {
    await t.deliver(t.fake.userEvent("1002", "follow"));
    t.advance(49 * HOUR);
    expect(await send(t, "r49", "n-x49", "1002")).toBe("template:user-id:template");
    expect(t.fake.sent.at(-1)).toMatchObject({ endpoint: "template-uid", to: "1002", templateId: TEMPLATE });
    expect(t.fake.sent.filter((s) => s.cost === "paid")).toHaveLength(0);
  });

  it("8 days, a kind without a template: held, and sent free the moment the guardian writes", async () => {
    await t.deliver(t.fake.userEvent("1003", "follow"));
    t.advance(8 * 24 * HOUR);
    expect(await send(t, "r8d", "poll-x", "1003")).toBe("hold:no-template:none");
    expect(await t.app.db.models.DeliveryMark.findById("r8d|sent").lean()).toBeNull();
    const before = t.fake.sent.length;
    await t.say("1003", "xin chào");
    await eventually(async () => (await t.app.db.models.DeliveryMark.findById("r8d|route-2").lean()) !== null, { timeoutMs: 15_000 });
    expect(String((await t.app.db.models.DeliveryMark.findById("r8d|route-2").lean())!.error)).toBe("consultation:free");
    await eventually(async () => (await t.app.db.models.DeliveryMark.findById("r8d|sent").lean()) !== null);
    expect(t.fake.sent.slice(before).filter((s) => s.to === "1003" && String(s.message?.text).includes("kết nối lại"))).toHaveLength(1);
    expect(await t.app.db.models.DeliveryMark.findById("r8d|duplicate").lean()).toBeNull();
  });

  it("8 days, a notice: the template (Zalo answers -230 to a consultation message by then)", async () => {
    await t.deliver(t.fake.userEvent("1004", "follow"));
    t.advance(8 * 24 * HOUR);
    expect(await send(t, "r8n", "n-x8", "1004")).toBe("template:user-id:template");
  });

  it("a template Zalo rejects (disabled, -146): the next route, and the route fact says so", async () => {
    await t.deliver(t.fake.userEvent("1006", "follow"));
    t.advance(8 * 24 * HOUR);
    const sent = t.fake.sent.length;
    expect(await send(t, "rrej", "mrem-x-v1", "1006")).toBe("hold:all-routes-failed:none");
    expect(t.fake.sent.length).toBe(sent);
  });

  it("an unfollowed guardian is not sent a consultation message", async () => {
    await t.deliver(t.fake.userEvent("1005", "follow"));
    await t.deliver(t.fake.userEvent("1005", "unfollow"));
    expect(await send(t, "run", "poll-y", "1005")).toBe("hold:no-template:none");
  });
});

describe("OA routing, paid sends enabled", () => {
  let t: OaTestApp;
  beforeAll(async () => { t = await startOaApp("oa-route-paid", { env: { ZALO_OA_PAID_SENDS: "true" } }); }, 60_000);
  afterAll(async () => { await t?.stop(); });

  it("49 h: a paid consultation message, recorded as paid", async () => {
    await t.deliver(t.fake.userEvent("2001", "follow"));
    t.advance(49 * HOUR);
    expect(await send(t, "p49", "n-p49", "2001")).toBe("consultation:paid");
    expect(t.fake.sent.at(-1)).toMatchObject({ endpoint: "message/cs", to: "2001", cost: "paid" });
  });

  it("8 days without a template: held (no other channel)", async () => {
    await t.deliver(t.fake.userEvent("2002", "follow"));
    t.advance(8 * 24 * HOUR);
    expect(await send(t, "p8d", "n-p8d", "2002")).toBe("hold:no-template:none");
  });
});
