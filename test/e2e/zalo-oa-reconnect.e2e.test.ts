/**
 * Deliveries held because the OA was disconnected ("needs reconnect") go out as soon as an admin
 * connects the OA again (the OAuth callback), without waiting for each guardian to write; other
 * held deliveries (no template, window closed) keep waiting for their guardian.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { say } from "../../src/engine/say.js";
import type { OutboxItem } from "../../src/engine/ports.js";
import { connectOa, startOaApp, type OaTestApp } from "../support/oa-harness.js";
import { eventually } from "../support/eventually.js";

const HOUR = 3_600_000;

describe("OA reconnected: the deliveries held while it was disconnected are released", () => {
  let t: OaTestApp;
  beforeAll(async () => { t = await startOaApp("oa-reconnect"); }, 60_000);
  afterAll(async () => { await t?.stop(); });

  const held = () => t.app.db.conn.collection("zalo_oa_held");
  /** A mark's error text ("" none), undefined when the mark does not exist. */
  const mark = async (id: string, kind: string) => {
    const m = await t.app.db.models.DeliveryMark.findById(`${id}|${kind}`).lean();
    return m ? String(m.error ?? "") : undefined;
  };
  const enqueue = async (group: string, keys: [string, string][]) => {
    const outbox = t.app.services.outbox as unknown as { enqueueGroup(group: string, items: OutboxItem[]): Promise<void> };
    await outbox.enqueueGroup(group, keys.map(([key, userId]) => ({ key, recipient: { channel: "zalo-oa" as const, account: t.fake.oaId, userId, chatId: userId }, messages: [say("zalo-oa-reconnected")] })));
  };

  it("held with reason oa-disconnected, then sent once after the callback stores a new token pair", async () => {
    for (const u of ["3001", "3002"]) await t.deliver(t.fake.userEvent(u, "follow"));
    t.advance(20 * HOUR); // the refresh-ahead job's turn (the access token lives 25 h)
    t.fake.injectFault({ endpoint: "access_token", error: -14014, message: "Invalid refresh token" });
    expect(await t.app.zaloOa!.refreshAhead()).toBe(0);
    expect((await t.app.zaloOa!.tokens.status(t.fake.oaId)).state).toBe("needs-reconnect");

    await enqueue("n-rc", [["rc1", "3001"], ["rc2", "3002"]]);
    for (const id of ["rc1", "rc2"]) await eventually(async () => (await mark(id, "route-1")) !== undefined, { timeoutMs: 15_000, message: `no route for ${id}` });
    expect([await mark("rc1", "route-1"), await mark("rc2", "route-1")]).toEqual(["hold:oa-disconnected:none", "hold:oa-disconnected:none"]);
    // Held: out of the reconciler's open set, nothing sent.
    // (the hold, which closes the open entry, is recorded just after the route mark: wait for it)
    await eventually(async () => (await t.app.db.models.OpenDelivery.countDocuments({ _id: { $in: ["rc1", "rc2"] } })) === 0, { timeoutMs: 15_000, message: "held deliveries still open" });
    const sentBefore = t.fake.sent.length;

    expect(await connectOa(t.app, t.fake)).toBe(200);
    expect((await t.app.zaloOa!.tokens.status(t.fake.oaId)).state).toBe("connected");
    // Back in the reconciler's open set, under the release job's id.
    // (unless its release job already ran and closed it: then it was sent)
    const reopened = await t.app.db.models.OpenDelivery.findById("rc1").lean();
    if (reopened) expect(reopened.job).toMatch(/^r\d+$/);
    else expect(await mark("rc1", "sent")).toBeDefined();
    for (const id of ["rc1", "rc2"]) await eventually(async () => (await mark(id, "sent")) !== undefined, { timeoutMs: 15_000, message: `${id} not sent after reconnecting` });
    expect(await mark("rc1", "route-2")).toBe("consultation:free");
    const after = t.fake.sent.slice(sentBefore).filter((s) => s.endpoint === "message/cs");
    expect(after.map((s) => s.to).sort()).toEqual(["3001", "3002"]);
    expect(await mark("rc1", "duplicate")).toBeUndefined();
    expect(await held().countDocuments({})).toBe(0);
  });

  it("a delivery held for another reason is not released by a reconnection", async () => {
    await t.deliver(t.fake.userEvent("3004", "follow"));
    t.advance(8 * 24 * HOUR);
    await enqueue("poll-rc", [["rc4", "3004"]]);
    await eventually(async () => (await mark("rc4", "route-1")) !== undefined, { timeoutMs: 15_000 });
    expect(await mark("rc4", "route-1")).toBe("hold:no-template:none");
    expect(await connectOa(t.app, t.fake)).toBe(200);
    expect(await held().countDocuments({ _id: "rc4" } as never)).toBe(1);
    expect(await mark("rc4", "route-2")).toBeUndefined();
  });
});
