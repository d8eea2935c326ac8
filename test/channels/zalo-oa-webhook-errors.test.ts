import { describe, it, expect } from "vitest";
import { createHash } from "node:crypto";
import { verifyOaWebhook, type OaWebhookSettings } from "../../src/channels/zalo-oa/webhook.js";
import { classifyOaCode, toChannelError, ZaloOaError, ZaloOaNetworkError } from "../../src/channels/zalo-oa/errors.js";
import type { ChannelError } from "../../src/engine/errors.js";

const APP = "360846524940903967", OA = "2918475639182736455", SECRET = "oa-secret-key", APP_SECRET = "app-secret";
const settings: OaWebhookSettings = { appId: APP, oaSecret: SECRET, appSecret: APP_SECRET, formulas: ["app-id+oa-secret"] };
const raw = JSON.stringify({ app_id: APP, event_name: "user_send_text", timestamp: "1543908534740", sender: { id: "1" }, recipient: { id: OA }, message: { msg_id: "m", text: "Xin chào" } });
// The reference's vector, computed here independently: plain SHA-256 (not HMAC) of app_id + raw + timestamp + secret.
const mac = (first: string, secret: string, body = raw) => "mac=" + createHash("sha256").update(first + body + "1543908534740" + secret).digest("hex");

describe("verifyOaWebhook", () => {
  it("accepts the exact bytes signed with app_id + raw body + timestamp + OA secret", () => {
    const v = verifyOaWebhook(raw, mac(APP, SECRET), settings);
    expect(v).toMatchObject({ status: 200, kind: "event", formula: "app-id+oa-secret" });
  });

  it("refuses a wrong secret, a re-serialised body, a missing or malformed header, and another app", () => {
    expect(verifyOaWebhook(raw, mac(APP, "wrong"), settings).status).toBe(401);
    const reserialised = JSON.stringify(JSON.parse(raw), null, 1);
    expect(verifyOaWebhook(reserialised, mac(APP, SECRET), settings).status).toBe(401);
    expect(verifyOaWebhook(raw, undefined, settings).status).toBe(401);
    expect(verifyOaWebhook(raw, "mac=zz", settings).status).toBe(401);
    const other = raw.replace(APP, "999");
    expect(verifyOaWebhook(other, mac("999", SECRET, other), settings).status).toBe(401);
  });

  it("answers Zalo's unsigned {} probe with 200 and nothing to process", () => {
    expect(verifyOaWebhook("{}", undefined, settings)).toEqual({ status: 200, kind: "probe" });
    expect(verifyOaWebhook(" {} ", undefined, settings)).toEqual({ status: 200, kind: "probe" });
    expect(verifyOaWebhook("not json", undefined, settings).status).toBe(400);
  });

  it("takes the formula from settings and says which one matched", () => {
    const oaSigned = mac(OA, SECRET), appSecretSigned = mac(APP, APP_SECRET);
    expect(verifyOaWebhook(raw, oaSigned, settings).status).toBe(401);
    const all: OaWebhookSettings = { ...settings, formulas: ["app-id+oa-secret", "oa-id+oa-secret", "app-id+app-secret"] };
    expect(verifyOaWebhook(raw, oaSigned, all)).toMatchObject({ status: 200, formula: "oa-id+oa-secret" });
    expect(verifyOaWebhook(raw, appSecretSigned, all)).toMatchObject({ status: 200, formula: "app-id+app-secret" });
  });
});

describe("OA error classes", () => {
  it("sorts the codes the sender acts on", () => {
    expect([-216, -220, -124].map((c) => classifyOaCode(c).klass)).toEqual(["auth", "auth", "auth"]);
    expect([-213, -230, -232].map((c) => classifyOaCode(c))).toEqual(Array(3).fill({ klass: "window", reopens: "next-interaction" }));
    expect([-211, -218, -144].map((c) => classifyOaCode(c))).toEqual(Array(3).fill({ klass: "quota", reopens: "tomorrow" }));
    expect([-234, -133].map((c) => classifyOaCode(c))).toEqual(Array(2).fill({ klass: "window", reopens: "morning" }));
    expect(classifyOaCode(-32).klass).toBe("transient");
    expect([-209, -223, -320, -146].map((c) => classifyOaCode(c).klass)).toEqual(["config", "config", "config", "config"]);
    expect([-201, -233, -999].map((c) => classifyOaCode(c).klass)).toEqual(["permanent", "permanent", "permanent"]);
  });

  it("maps to the outbox's ChannelError codes for callers that do not route", () => {
    const code = (e: unknown) => (toChannelError(e) as ChannelError).code;
    expect(code(new ZaloOaError("message/cs", -32, "rate"))).toBe("rate-limited");
    expect(code(new ZaloOaError("message/cs", -213, "not follower"))).toBe("blocked");
    expect(code(new ZaloOaError("message/cs", -230, "7 days"))).toBe("bad-request");
    expect(code(new ZaloOaError("message/cs", undefined, "not an envelope", 502))).toBe("server");
    expect(code(new ZaloOaNetworkError("message/cs", "TimeoutError"))).toBe("network");
    expect(new ZaloOaError("message/cs", undefined, "not an envelope", 404).klass).toBe("config");
    expect(new ZaloOaError("message/cs", undefined, "not an envelope", 200).klass).toBe("transient");
    const plain = new Error("bug");
    expect(toChannelError(plain)).toBe(plain);
  });
});
