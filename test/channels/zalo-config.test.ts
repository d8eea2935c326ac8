import { describe, it, expect } from "vitest";
import { loadConfig, ConfigError } from "../../src/app/config.js";

const base = { MONGODB_URI: "mongodb://127.0.0.1:1/x", REDIS_URL: "redis://127.0.0.1:1" };

describe("Zalo Bot configuration", () => {
  it("defaults to the real Bot API host and turns the playground off when only a Zalo token is set", () => {
    const c = loadConfig({ ...base, ZALO_BOT_TOKEN: "1234:abc" });
    expect(c.zaloBot).toMatchObject({ token: "1234:abc", apiRoot: "https://bot-api.zaloplatforms.com" });
    expect(c.playground).toBe(false);
    expect(loadConfig({ ...base, ZALO_BOT_TOKEN: "1234:abc", PLAYGROUND: "true" }).playground).toBe(true);
    expect(loadConfig(base).playground).toBe(true);
  });

  it("needs an 8-256 character secret for webhook mode (ZALO_WEBHOOK_SECRET, else WEBHOOK_SECRET)", () => {
    const webhook = { ...base, ZALO_BOT_TOKEN: "1234:abc", PUBLIC_URL: "https://school.example" };
    expect(() => loadConfig({ ...webhook, WEBHOOK_SECRET: "short" })).toThrow(ConfigError);
    expect(loadConfig({ ...webhook, WEBHOOK_SECRET: "short", ZALO_WEBHOOK_SECRET: "long-enough_1" }).zaloBot.webhookSecret).toBe("long-enough_1");
    expect(loadConfig({ ...webhook, WEBHOOK_SECRET: "shared-secret" }).zaloBot.webhookSecret).toBe("shared-secret");
    expect(() => loadConfig({ ...base, ZALO_WEBHOOK_SECRET: "bad secret!" })).toThrow(ConfigError);
  });
});
