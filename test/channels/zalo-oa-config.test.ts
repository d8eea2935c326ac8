import { describe, it, expect } from "vitest";
import { loadConfig, ConfigError } from "../../src/app/config.js";

const base = { MONGODB_URI: "mongodb://127.0.0.1:1/x", REDIS_URL: "redis://127.0.0.1:1" };
const oa = { ...base, ZALO_OA_APP_ID: "360846524940903967", ZALO_OA_ID: "2918475639182736455", ZALO_OA_APP_SECRET: "s", ZALO_OA_SECRET_KEY: "k", ZALO_OA_TOKEN_KEY: Buffer.alloc(32, 1).toString("base64") };

describe("Zalo OA configuration", () => {
  it("is absent without ZALO_OA_APP_ID and has the documented defaults with it", () => {
    expect(loadConfig(base).zaloOa).toBeUndefined();
    const c = loadConfig(oa).zaloOa!;
    expect(c).toMatchObject({ appId: "360846524940903967", apiRoot: "https://openapi.zalo.me", oauthRoot: "https://oauth.zaloapp.com", businessApiRoot: "https://business.openapi.zalo.me",
      signatureFormulas: ["app-id+oa-secret"], buttons: "oa-query", buttonTitleMax: 20, templateMode: "production", freeWindowMs: 48 * 3_600_000, paidWindowMs: 7 * 86_400_000 });
    expect(c.tokenKey.equals(Buffer.alloc(32, 1))).toBe(true);
    expect(loadConfig({ ...oa, ZALO_OA_TOKEN_KEY: "ab".repeat(32) }).zaloOa!.tokenKey.length).toBe(32);
  });

  it("needs the secrets and a 32-byte token key, and only known signature formulas", () => {
    expect(() => loadConfig({ ...oa, ZALO_OA_SECRET_KEY: "" })).toThrow(/ZALO_OA_SECRET_KEY/);
    expect(() => loadConfig({ ...oa, ZALO_OA_TOKEN_KEY: "c2hvcnQ=" })).toThrow(ConfigError);
    expect(() => loadConfig({ ...oa, ZALO_OA_SIGNATURE: "hmac" })).toThrow(/ZALO_OA_SIGNATURE/);
    expect(loadConfig({ ...oa, ZALO_OA_SIGNATURE: "app-id+oa-secret, oa-id+oa-secret" }).zaloOa!.signatureFormulas).toEqual(["app-id+oa-secret", "oa-id+oa-secret"]);
    expect(() => loadConfig({ ...oa, ZALO_OA_ID: "" })).toThrow(/ZALO_OA_ID/);
  });

  it("reads the school's routing settings: paid sends off by default, templates per kind", () => {
    expect(loadConfig(oa).zaloOa).toMatchObject({ oaId: "2918475639182736455", paidSends: false, templates: {} });
    const c = loadConfig({ ...oa, ZALO_OA_PAID_SENDS: "true", ZALO_OA_TEMPLATES: "notice=7895417a, reminder=12ab", ZALO_OA_SCHOOL: "thcs-demo" }).zaloOa!;
    expect(c).toMatchObject({ paidSends: true, templates: { notice: "7895417a", reminder: "12ab" }, schoolSlug: "thcs-demo" });
    expect(() => loadConfig({ ...oa, ZALO_OA_TEMPLATES: "notice" })).toThrow(/ZALO_OA_TEMPLATES/);
  });
});
