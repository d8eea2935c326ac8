import { describe, it, expect, beforeAll, afterAll, vi } from "vitest";
import { Queue, Worker } from "bullmq";
import type { Redis } from "ioredis";
import { connectRedis, createRedis } from "../../src/jobs/redis.js";
import { createQueues, logUnhandledErrors } from "../../src/jobs/runtime.js";
import { logFailures } from "../../src/jobs/worker-options.js";
import { eventually } from "../support/eventually.js";
import { createChatLock } from "../../src/jobs/chat-lock.js";
import { createThrottle } from "../../src/jobs/throttle.js";
import { checkSchedulers, RECOVER_AFTER_MS, reconcileAll, scheduleMaintenance } from "../../src/jobs/maintenance.js";
import { QUEUES } from "../../src/jobs/queues.js";
import { expireConversations } from "../../src/store/conversations.js";
import { expireCodes } from "../../src/store/invites.js";
import { testConfig } from "../support/test-config.js";
import { useDatabase } from "../support/database.js";
import { race, isRaceError, RACE_WIDTH } from "../support/race.js";

describe("jobs on real Redis", () => {
  const config = testConfig("jobs");
  const prefix = config.redis.queuePrefix;
  let redis: Redis;
  const db = useDatabase(config);
  beforeAll(async () => {
    redis = await connectRedis(config.redis.url);
  });
  afterAll(async () => {
    await redis.quit();
  });

  it("the chat lock serializes turns of one chat and lets other chats run", async () => {
    const lock = createChatLock(redis, { prefix });
    const log: string[] = [];
    let inside = 0, maxInside = 0;
    const turn = (key: string, name: string) => lock.withLock(key, async () => {
      inside++;
      maxInside = Math.max(maxInside, inside);
      log.push(`${name}>`);
      await new Promise<void>((resolve) => setImmediate(resolve));
      log.push(`<${name}`);
      inside--;
    });
    await Promise.all([turn("chat-1", "a"), turn("chat-1", "b"), turn("chat-1", "c")]);
    expect(maxInside).toBe(1);
    for (let i = 0; i < log.length; i += 2) expect(log[i + 1]).toBe(`<${log[i]!.slice(0, -1)}`);
    // A failing turn releases the lock.
    await expect(lock.withLock("chat-2", async () => { throw new Error("x"); })).rejects.toThrow("x");
    expect(await lock.withLock("chat-2", async () => "ok")).toBe("ok");
  });

  it("a holder whose work outlasts the lock's TTL keeps it: a second turn waits until the first is over", async () => {
    const ttlMs = 150;
    const lock = createChatLock(redis, { prefix, ttlMs });
    const name = `${prefix}:chat-lock:chat-slow`;
    const log: string[] = [];
    let secondTried = false;
    const first = lock.withLock("chat-slow", async () => {
      log.push("first>");
      const start = Date.now();
      // The first turn is slow: it is still working three TTLs later, and its lock must still be there.
      await eventually(async () => {
        expect(await redis.exists(name)).toBe(1);
        return secondTried && Date.now() - start > 3 * ttlMs;
      }, { timeoutMs: 5_000, intervalMs: 20 });
      log.push("<first");
    });
    await eventually(async () => (await redis.exists(name)) === 1);
    const second = lock.withLock("chat-slow", async () => { log.push("second"); });
    secondTried = true;
    await Promise.all([first, second]);
    expect(log).toEqual(["first>", "<first", "second"]);
    expect(await redis.exists(name)).toBe(0);
  });

  it("a lock whose release fails (Redis gone) does not turn a finished piece of work into a failure", async () => {
    const conn = await connectRedis(config.redis.url);
    const warnings: string[] = [];
    const lock = createChatLock(conn, { prefix, logger: { warn: (_o, msg) => warnings.push(msg) } });
    const result = await lock.withLock("chat-release", async () => {
      conn.disconnect(); // the connection drops while the turn runs
      return "done";
    });
    expect(result).toBe("done");
    expect(warnings).toContain("chat lock release failed; it expires by itself");
  });

  it("errors of Redis connections, queues and workers go to the app's logger, never to console.error", async () => {
    const consoleError = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const logged: { source: string; message: string }[] = [];
    const logger = { error: (o: object) => logged.push(o as { source: string; message: string }), warn() {} };
    try {
      const conn = createRedis(config.redis.url, false, logger);
      conn.emit("error", new Error("ECONNRESET"));
      const queues = createQueues(redis, prefix, logger);
      queues.get("errors-test").emit("error", new Error("queue down"));
      const worker = new Worker("errors-test", async () => undefined, { connection: redis.duplicate({ maxRetriesPerRequest: null }), prefix, autorun: false });
      logFailures(worker, logger, "failed");
      worker.emit("error", new Error("worker down"));
      const bare = new Worker("errors-test-bare", async () => undefined, { connection: redis.duplicate({ maxRetriesPerRequest: null }), prefix, autorun: false });
      logUnhandledErrors([bare], logger);
      bare.emit("error", new Error("bare worker down"));
      expect(logged.map((l) => l.source)).toEqual(["redis", "queue errors-test", "worker errors-test", "worker errors-test-bare"]);
      expect(consoleError).not.toHaveBeenCalled();
      conn.disconnect();
      await Promise.all([queues.close(), worker.close(), bare.close()]);
    } finally {
      consoleError.mockRestore();
    }
  });

  it("the throttle blocks a key after the limit for the window, per key", async () => {
    const throttle = createThrottle(redis, { limit: 3, windowSeconds: 60, prefix });
    expect((await throttle.fail("k1")).blocked).toBe(false);
    expect((await throttle.fail("k1")).blocked).toBe(false);
    const third = await throttle.fail("k1");
    expect(third.blocked).toBe(true);
    expect(third.retryAfterSeconds).toBeGreaterThan(0);
    expect((await throttle.isBlocked("k1")).blocked).toBe(true);
    expect((await throttle.isBlocked("k2")).blocked).toBe(false);
    expect(await redis.ttl(`${prefix}:throttle:k1`)).toBeGreaterThan(0);
  });

  it("a counter left without expiry (a crash between INCR and EXPIRE) cannot block a chat for good", async () => {
    const throttle = createThrottle(redis, { limit: 3, windowSeconds: 1, prefix });
    // What the old INCR-then-EXPIRE left behind when the process died in between.
    await redis.set(`${prefix}:throttle:crashed`, "5");
    expect(await redis.ttl(`${prefix}:throttle:crashed`)).toBe(-1);
    const seen = await throttle.isBlocked("crashed");
    expect(seen).toEqual({ blocked: true, retryAfterSeconds: 1 });
    expect(await redis.ttl(`${prefix}:throttle:crashed`)).toBeGreaterThan(0);
    await eventually(async () => expect((await throttle.isBlocked("crashed")).blocked).toBe(false), { timeoutMs: 5_000, intervalMs: 100 });
    // fail() repairs such a key too.
    await redis.set(`${prefix}:throttle:crashed-2`, "1");
    expect((await throttle.fail("crashed-2")).blocked).toBe(false);
    expect(await redis.ttl(`${prefix}:throttle:crashed-2`)).toBeGreaterThan(0);
  });

  it("under concurrent failures every one is counted and the key always has an expiry", async () => {
    const throttle = createThrottle(redis, { limit: 5, windowSeconds: 60, prefix });
    const results = await race(RACE_WIDTH, () => throttle.fail("burst"));
    expect(results.filter((r) => !isRaceError(r) && r.blocked)).toHaveLength(RACE_WIDTH - 4);
    expect(await redis.get(`${prefix}:throttle:burst`)).toBe(String(RACE_WIDTH));
    expect(await redis.ttl(`${prefix}:throttle:burst`)).toBeGreaterThan(0);
  });

  it("declares the maintenance schedulers once, whatever the number of processes calling it", async () => {
    const queue = new Queue(QUEUES.maintenance, { connection: redis, prefix });
    await Promise.all([scheduleMaintenance(queue, "Asia/Ho_Chi_Minh"), scheduleMaintenance(queue, "Asia/Ho_Chi_Minh")]);
    const schedulers = await queue.getJobSchedulers();
    expect(schedulers.map((s) => s.key).sort()).toEqual(["expire-codes", "expire-concern-digests", "expire-concern-texts", "expire-conversations", "expire-delivery-payloads", "expire-inbound", "reconcile", "recover-inbound", "zalo-oa-prune", "zalo-oa-refresh"]);
    expect(schedulers.find((s) => s.key === "expire-codes")).toMatchObject({ pattern: "30 3 * * *", tz: "Asia/Ho_Chi_Minh" });
    // An event left pending after a crash is recovered within a minute (README): age + period.
    const every = Number(schedulers.find((s) => s.key === "recover-inbound")?.every);
    expect(every + RECOVER_AFTER_MS).toBeLessThanOrEqual(60_000);
    await queue.close();
  });

  it("when Redis lost the schedulers (its data flushed), the check re-declares them and reconciles at once", async () => {
    const tz = "Asia/Ho_Chi_Minh";
    const queue = new Queue(QUEUES.maintenance, { connection: redis, prefix: `${prefix}-lost` });
    await scheduleMaintenance(queue, tz);
    let reconciled = 0;
    const onLost = async () => { await scheduleMaintenance(queue, tz); reconciled++; };
    expect(await checkSchedulers(queue, onLost)).toBe(false);
    // Only this queue's keys, never FLUSHALL: the Redis is shared.
    const keys = await redis.keys(`${prefix}-lost:*`);
    expect(keys.length).toBeGreaterThan(0);
    await redis.del(...keys);
    expect(await queue.getJobSchedulers()).toEqual([]);
    expect(await checkSchedulers(queue, onLost)).toBe(true);
    expect(reconciled).toBe(1);
    expect((await queue.getJobSchedulers()).map((s) => s.key)).toContain("reconcile");
    expect(await checkSchedulers(queue, onLost)).toBe(false);
    await queue.obliterate({ force: true });
    await queue.close();
  });

  it("the reconciler runs every feature's part even when one fails, sums what they rebuilt, then reports the failure", async () => {
    const ran: string[] = [];
    const warnings: object[] = [];
    const log = { info: () => {}, warn: (obj: object) => warnings.push(obj) };
    const part = (name: string, n: number | Error) => ({ name, run: async () => { ran.push(name); if (n instanceof Error) throw n; return n; } });
    expect(await reconcileAll([part("outbox", 2), part("meetings", 0), part("concerns", 3)], log)).toBe(5);
    ran.length = 0;
    await expect(reconcileAll([part("outbox", 1), part("meetings", new Error("db down")), part("concerns", 1)], log)).rejects.toThrow("reconcilers failed: meetings");
    expect(ran).toEqual(["outbox", "meetings", "concerns"]);
    expect(warnings).toContainEqual(expect.objectContaining({ reconciler: "meetings" }));
  });

  it("expiry removes stale conversations and long-expired codes, and nothing else", async () => {
    const now = new Date();
    await db.models.ConversationState.create({ _id: "old", flowId: "f", flowVersion: 1, step: "s", updatedAt: new Date(now.getTime() - 3 * 86_400_000) });
    await db.models.ConversationState.create({ _id: "fresh", flowId: "f", flowVersion: 1, step: "s", updatedAt: now });
    expect(await expireConversations(db.models, new Date(now.getTime() - 86_400_000))).toBe(1);
    expect(await db.models.ConversationState.countDocuments({ _id: "fresh" })).toBe(1);
    const grant = { kind: "guardian", studentId: "s" };
    await db.models.InviteCode.create({ _id: "OLDCODE000000", schoolId: "x", grant, expiresAt: new Date(now.getTime() - 40 * 86_400_000) });
    await db.models.InviteCode.create({ _id: "NEWCODE000000", schoolId: "x", grant, expiresAt: new Date(now.getTime() + 86_400_000) });
    await db.models.InviteRedemption.create({ _id: "OLDCODE000000#1", code: "OLDCODE000000", identityId: "erased" });
    expect(await expireCodes(db.models, now)).toBe(1);
    expect(await db.models.InviteCode.countDocuments({})).toBe(1);
    expect(await db.models.InviteRedemption.countDocuments({ code: "OLDCODE000000" })).toBe(0);
  });
});
