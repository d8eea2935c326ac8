/**
 * The OA's tokens across processes: two workers running the hourly refresh at once spend the
 * single-use refresh token once (the Redis lock); a refused refresh marks the OA "needs
 * reconnect", alerts the school's admins once in the bot, and is not retried.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { createApp, type App } from "../../src/app/container.js";
import { createLogger } from "../../src/app/logger.js";
import { loadConfig } from "../../src/app/config.js";
import { seedDemo, type DemoSeed } from "../../src/features/school/demo.js";
import { startOaApp, oaEnv, type OaTestApp } from "../support/oa-harness.js";
import { eventually } from "../support/eventually.js";
import { DEMO_SLUG } from "../../src/features/school/demo.js";

const HOUR = 3_600_000;

describe("OA tokens with two workers", () => {
  let t: OaTestApp;
  let second: App;
  let demo: DemoSeed;
  beforeAll(async () => {
    t = await startOaApp("oa-tokens", { env: { ZALO_OA_SCHOOL: DEMO_SLUG } });
    demo = await seedDemo(t.app.db.models, { ttlDays: 30 });
    // A second process of the same deployment: same database, same Redis queue prefix.
    const c = t.app.config;
    second = await createApp(loadConfig({
      MONGODB_URI: c.mongo.uri, MONGODB_DB: c.mongo.db, REDIS_URL: c.redis.url, QUEUE_PREFIX: c.redis.queuePrefix, PORT: "0", LOG_LEVEL: "silent",
      DEMO_SEED: "false", ROLE: "worker", ...oaEnv(t.fake, { ZALO_OA_SCHOOL: DEMO_SLUG }),
    }), createLogger("silent"), { clock: { now: () => new Date(t.fake.now) } });
  }, 90_000);
  afterAll(async () => { await second?.stop(); await t?.stop(); });

  it("two workers refreshing ahead at once: one refresh, both end on the same new token", async () => {
    t.advance(20 * HOUR); // within 6 h of the 25 h expiry
    const release = t.fake.holdTokenEndpoint();
    const before = t.fake.refreshCalls();
    const both = Promise.all([t.app.zaloOa!.refreshAhead(), second.zaloOa!.refreshAhead()]);
    await eventually(() => t.fake.tokenWaiting === 1);
    release();
    expect((await both).sort()).toEqual([0, 1]);
    expect(t.fake.refreshCalls() - before).toBe(1);
    expect(t.fake.tokenCalls.every((c) => c.ok)).toBe(true);
    const token = await second.zaloOa!.tokens.accessToken(t.fake.oaId);
    expect(t.fake.accepts(token)).toBe(true);
  });

  it("a refused refresh: 'needs reconnect', the school's principal is alerted once on their other channel, and no further refresh is tried", async () => {
    const principal = await t.app.db.models.ChannelIdentity.create({ channel: "web", account: "web", externalUserId: "principal-1", chatId: "principal-1" });
    const staffId = (await t.app.db.models.Staff.findOne({ schoolId: demo.schoolId }).lean())!._id;
    await t.app.db.models.StaffRole.create({ identityId: principal._id, staffId, schoolId: demo.schoolId, role: "principal" });
    t.advance(20 * HOUR);
    t.fake.injectFault({ endpoint: "access_token", error: -14014, message: "Invalid refresh token" });
    const calls = t.fake.tokenCalls.length;
    await Promise.all([t.app.zaloOa!.refreshAhead(), second.zaloOa!.refreshAhead()]);
    await t.app.zaloOa!.refreshAhead();
    expect(t.fake.tokenCalls.length - calls).toBe(1);
    expect((await t.app.zaloOa!.tokens.status(t.fake.oaId)).state).toBe("needs-reconnect");
    await eventually(async () => (await t.app.db.models.DeliveryMark.countDocuments({ delivery: /^zalo-oa-reconnect:/, kind: "sent" })) === 1, { timeoutMs: 15_000 });
    const alerts = await t.app.db.models.Delivery.find({ _id: /^zalo-oa-reconnect:/ }).lean();
    expect(alerts.map((a) => a.recipient.userId)).toEqual(["principal-1"]);
  });
});
