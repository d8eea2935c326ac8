/**
 * Configuration for tests: the real MongoDB-compatible server and Redis from the global
 * setup, with a database name and BullMQ prefix of the test's own so files never collide.
 */
import { randomBytes } from "node:crypto";
import { loadConfig, type Config } from "../../src/app/config.js";

/** A unique suffix for database names and queue prefixes. */
export function uniqueName(label: string): string {
  return `t-${label.replace(/[^a-z0-9]+/gi, "-").slice(0, 24)}-${randomBytes(4).toString("hex")}`;
}

/** A Config for a test; `env` overrides variables (TELEGRAM_BOT_TOKEN, PUBLIC_URL, …). */
export function testConfig(label: string, env: Record<string, string | undefined> = {}): Config {
  const name = uniqueName(label);
  return loadConfig({
    // The test's own database: drop a database named in the URI's path (it would conflict).
    MONGODB_URI: process.env.MONGODB_URI?.replace(/^(mongodb(?:\+srv)?:\/\/[^/?]*\/)[^?]*/, "$1"),
    REDIS_URL: process.env.REDIS_URL,
    MONGODB_DB: name,
    QUEUE_PREFIX: name,
    PORT: "0",
    LOG_LEVEL: "silent",
    DEMO_SEED: "false",
    ...env,
  });
}
