// Integration check of the services the test suite runs against (scripts/services.sh):
// Redis answers and, when the script provisioned it, is configured for BullMQ; the
// MongoDB-wire server (FerretDB in dev/CI, MongoDB in production) round-trips a document and
// enforces unique indexes with error code 11000 — the idempotency primitive the store relies on.
import { randomUUID } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Redis } from "ioredis";
import mongoose from "mongoose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const runDir = resolve(root, process.env.SERVICES_CACHE_DIR ?? ".cache", "run");

function requiredEnv(name: "MONGODB_URI" | "REDIS_URL"): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: global setup should have provisioned it`);
  return value;
}

/** True when scripts/services.sh started or reused this URL itself (not a user-set one). */
function provisionedByScript(service: "redis" | "mongo", url: string): boolean {
  const marker = resolve(runDir, `${service}.url`);
  return existsSync(marker) && readFileSync(marker, "utf8").trim() === url;
}

describe("Redis", () => {
  const url = requiredEnv("REDIS_URL");
  let redis: Redis;

  beforeAll(async () => {
    redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await redis.connect();
  });
  afterAll(async () => {
    await redis?.quit();
  });

  it("answers PING and, when services.sh provisioned it, is configured for BullMQ", async () => {
    expect(await redis.ping()).toBe("PONG");
    // A user-set REDIS_URL is the user's server: its configuration is theirs to choose.
    if (provisionedByScript("redis", url)) {
      expect(await redis.config("GET", "maxmemory-policy")).toEqual(["maxmemory-policy", "noeviction"]);
      expect(await redis.config("GET", "appendonly")).toEqual(["appendonly", "yes"]);
    }
  });
});

describe("MongoDB wire server", () => {
  const uri = requiredEnv("MONGODB_URI");
  const dbName = `services_test_${randomUUID().replaceAll("-", "")}`;
  let conn: mongoose.Connection;

  beforeAll(async () => {
    conn = await mongoose.createConnection(uri, { dbName, serverSelectionTimeoutMS: 10_000 }).asPromise();
  });
  afterAll(async () => {
    if (!conn) return;
    await conn.dropDatabase().catch(() => undefined);
    await conn.close();
  });

  it("round-trips a document and rejects a duplicate key with code 11000", async () => {
    const schema = new mongoose.Schema({
      key: { type: String, required: true, unique: true },
      note: { type: String, required: true },
    });
    const Fact = conn.model("Fact", schema);
    await Fact.init(); // builds the unique index before the inserts race it

    await Fact.create({ key: "k1", note: "xin chào" });
    const found = await Fact.findOne({ key: "k1" }).lean();
    expect(found?.note).toBe("xin chào");

    const duplicate = await Fact.create({ key: "k1", note: "again" }).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(duplicate).toMatchObject({ code: 11000 });
    expect(await Fact.countDocuments({ key: "k1" })).toBe(1);
  });

  it("when services.sh started FerretDB, runs it on its own PostgreSQL cluster", () => {
    const pidFile = resolve(runDir, "ferretdb.pid");
    if (!provisionedByScript("mongo", uri) || !existsSync(pidFile)) return; // a user-set server or mongod
    const pid = readFileSync(pidFile, "utf8").trim();
    const args = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
    expect(args).toContain("--handler=postgresql");
    const pgPid = readFileSync(resolve(runDir, "postgres.pid"), "utf8").trim();
    expect(readFileSync(`/proc/${pgPid}/cmdline`, "utf8")).toMatch(/postgres/);
  });
});
