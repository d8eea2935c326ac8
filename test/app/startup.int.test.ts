import { describe, it, expect } from "vitest";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll } from "vitest";
import { loadConfig, ConfigError } from "../../src/app/config.js";
import { dropDatabase } from "../support/app-harness.js";

const run = promisify(execFile);

async function start(env: Record<string, string>) {
  try {
    await run("npx", ["tsx", "src/app/main.ts"], { env: { PATH: process.env.PATH!, HOME: process.env.HOME ?? "/tmp", LOG_LEVEL: "silent", PORT: "0", ...env }, timeout: 60_000 });
    return { code: 0, stderr: "" };
  } catch (err) {
    const e = err as { code: number; stderr: string };
    return { code: e.code, stderr: e.stderr };
  }
}

describe("starting the process", () => {
  afterAll(async () => { await dropDatabase(process.env.MONGODB_URI!, "t-startup-redis"); });
  it("says MongoDB is down and exits non-zero", async () => {
    const result = await start({ MONGODB_URI: "mongodb://127.0.0.1:1/", REDIS_URL: process.env.REDIS_URL! });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("MongoDB is not reachable");
  });

  it("says Redis is down and exits non-zero", async () => {
    const result = await start({ MONGODB_URI: process.env.MONGODB_URI!, REDIS_URL: "redis://127.0.0.1:1", MONGODB_DB: "t-startup-redis" });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("Redis is not reachable");
  });

  it("refuses a configuration without its required variables, naming them", async () => {
    const result = await start({});
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/MONGODB_URI/);
  });
});

describe("configuration", () => {
  it("turns the playground on when no messenger token is set, off otherwise", () => {
    const base = { MONGODB_URI: "mongodb://x", REDIS_URL: "redis://x" };
    expect(loadConfig(base).playground).toBe(true);
    expect(loadConfig({ ...base, TELEGRAM_BOT_TOKEN: "1:a" }).playground).toBe(false);
    expect(loadConfig({ ...base, TELEGRAM_BOT_TOKEN: "1:a", PLAYGROUND: "true" }).playground).toBe(true);
  });

  it("requires a webhook secret in webhook mode", () => {
    expect(() => loadConfig({ MONGODB_URI: "m", REDIS_URL: "r", TELEGRAM_BOT_TOKEN: "1:a", PUBLIC_URL: "https://bot.example.edu.vn" })).toThrow(ConfigError);
  });
});
