import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Redis } from "ioredis";
import { openDatabase, ensureCollections, type Database } from "../../src/store/mongo.js";
import { createZaloOaTokenRepository, zaloOaTokenModels } from "../../src/store/zalo-oa-tokens.js";
import { connectRedis } from "../../src/jobs/redis.js";
import { createRedisLock } from "../../src/jobs/redis-lock.js";
import { ZaloOaClient } from "../../src/channels/zalo-oa/client.js";
import { createTokenCipher } from "../../src/channels/zalo-oa/token-cipher.js";
import { OaTokens, OaNeedsReconnectError, type OaTokenLock } from "../../src/channels/zalo-oa/tokens.js";
import { ZaloOaTokenError } from "../../src/channels/zalo-oa/errors.js";
import { FakeZaloOa } from "../support/fake-zalo-oa.js";
import { eventually } from "../support/eventually.js";
import { expectOneWinner, isRaceError, race, RACE_WIDTH } from "../support/race.js";
import { uniqueName } from "../support/test-config.js";

const HOUR = 3_600_000;
const KEY = Buffer.alloc(32, 7);

describe("OA token store: single-use refresh tokens rotated under a Redis lock", () => {
  let db: Database;
  let fake: FakeZaloOa;
  let prefix: string;
  const redises: Redis[] = [];
  let alerts: string[];

  beforeAll(async () => {
    db = await openDatabase(process.env.MONGODB_URI!, uniqueName("zalo-oa-tokens"));
    await ensureCollections(Object.values(zaloOaTokenModels(db.conn)));
  });
  afterAll(async () => {
    await db.conn.dropDatabase();
    await db.close();
  });
  beforeEach(async () => {
    fake = await FakeZaloOa.start();
    prefix = uniqueName("oa-lock");
    alerts = [];
  });
  afterEach(async () => {
    await fake.close();
    for (const r of redises.splice(0)) r.disconnect();
  });

  const client = () => new ZaloOaClient({ apiRoot: fake.url, oauthRoot: fake.url, businessRoot: fake.url, appId: fake.appId, appSecret: fake.appSecret });
  /** One "process": its own Redis connection, store and manager, the fake's clock. */
  async function worker(options: { lock?: OaTokenLock; key?: Buffer } = {}): Promise<OaTokens> {
    const redis = await connectRedis(process.env.REDIS_URL!);
    redises.push(redis);
    return new OaTokens({
      store: createZaloOaTokenRepository(db.conn),
      lock: options.lock ?? createRedisLock(redis, { prefix, ttlMs: 30_000 }),
      cipher: createTokenCipher(options.key ?? KEY),
      refresher: client(),
      now: () => new Date(fake.now),
      onNeedsReconnect: async (oaId, reason) => void alerts.push(`${oaId}:${reason}`),
    });
  }
  const oaId = () => `oa-${prefix}`;

  it("eight concurrent refreshers in separate connections call the refresh endpoint once and all get the new token", async () => {
    const workers = await Promise.all(Array.from({ length: RACE_WIDTH }, () => worker()));
    await workers[0]!.connect(oaId(), fake.issueTokens());
    fake.advance(25 * HOUR); // the access token has expired
    const release = fake.holdTokenEndpoint();
    const running = race(RACE_WIDTH, (i) => workers[i]!.refresh(oaId()));
    await eventually(() => fake.tokenWaiting === 1, { message: "first refresh reached Zalo" });
    release();
    const results = await running;
    expectOneWinner(results, (r) => r.refreshed);
    expect(fake.refreshCalls()).toBe(1);
    const tokens = new Set(results.map((r) => (isRaceError(r) ? "error" : r.accessToken)));
    expect(tokens.size).toBe(1);
    expect(fake.accepts([...tokens][0]!)).toBe(true);
    expect(await workers[3]!.status(oaId())).toMatchObject({ state: "connected", version: 2 });
  });

  it("control: without the lock the racers all spend the same refresh token (so the test above can fail)", async () => {
    const noLock: OaTokenLock = { withLock: (_name, fn) => fn() };
    const workers = await Promise.all(Array.from({ length: RACE_WIDTH }, () => worker({ lock: noLock })));
    await workers[0]!.connect(oaId(), fake.issueTokens());
    fake.advance(25 * HOUR);
    const release = fake.holdTokenEndpoint();
    const running = race(RACE_WIDTH, (i) => workers[i]!.refresh(oaId()));
    await eventually(() => fake.tokenWaiting === RACE_WIDTH);
    release();
    await running;
    expect(fake.refreshCalls()).toBe(RACE_WIDTH);
    expect(fake.tokenCalls.filter((c) => !c.ok)).toHaveLength(RACE_WIDTH - 1);
  });

  it("a fresh token is returned without refreshing; near expiry it is refreshed ahead and written before use", async () => {
    const tokens = await worker();
    const pair = fake.issueTokens();
    await tokens.connect(oaId(), pair);
    expect(await tokens.accessToken(oaId())).toBe(pair.accessToken);
    expect(fake.refreshCalls()).toBe(0);
    fake.advance(25 * HOUR - 4 * 60_000); // 4 minutes left
    const next = await tokens.accessToken(oaId());
    expect(next).not.toBe(pair.accessToken);
    expect(fake.refreshCalls()).toBe(1);
    expect(await (await worker()).accessToken(oaId())).toBe(next); // another process reads the stored pair
  });

  it("the hourly job refreshes a token expiring within 6 h and leaves a fresher one alone", async () => {
    const tokens = await worker();
    expect(await tokens.refreshAhead(oaId())).toBe("not-connected");
    await tokens.connect(oaId(), fake.issueTokens());
    fake.advance(18 * HOUR); // 7 h left
    expect(await tokens.refreshAhead(oaId())).toBe("fresh");
    fake.advance(2 * HOUR); // 5 h left
    expect(await tokens.refreshAhead(oaId())).toBe("refreshed");
    expect(fake.refreshCalls()).toBe(1);
    expect(await tokens.status(oaId())).toMatchObject({ state: "connected", version: 2, accessExpiresAt: new Date(fake.now + 25 * HOUR) });
  });

  it("a refused refresh marks the OA 'needs reconnect', alerts once, and later calls never reach Zalo", async () => {
    const workers = await Promise.all(Array.from({ length: RACE_WIDTH }, () => worker()));
    const pair = fake.issueTokens();
    await workers[0]!.connect(oaId(), pair);
    await client().refreshAccessToken(pair.refreshToken); // someone else spent it (e.g. the API Explorer)
    const spent = fake.refreshCalls();
    fake.advance(25 * HOUR);
    const results = await race(RACE_WIDTH, (i) => workers[i]!.accessToken(oaId()));
    expect(results.every((r) => isRaceError(r) && r.error instanceof OaNeedsReconnectError)).toBe(true);
    expect(fake.refreshCalls() - spent).toBe(1);
    expect(alerts).toHaveLength(1);
    expect(await workers[0]!.status(oaId())).toMatchObject({ state: "needs-reconnect", reason: "refresh-refused:-14014" });
    await expect(workers[1]!.withAccessToken(oaId(), async () => "sent")).rejects.toBeInstanceOf(OaNeedsReconnectError);
    expect(await workers[4]!.refreshAhead(oaId())).toBe("needs-reconnect");
    expect(fake.refreshCalls() - spent).toBe(1);
    // An admin connects again: a new generation, and the channel works.
    const again = fake.issueTokens();
    await workers[2]!.connect(oaId(), again);
    expect(await workers[3]!.accessToken(oaId())).toBe(again.accessToken);
  });

  it("a rate-limited refresh (-32) is transient: nothing is marked and the next call refreshes", async () => {
    const tokens = await worker();
    await tokens.connect(oaId(), fake.issueTokens());
    fake.advance(25 * HOUR);
    fake.injectFault({ endpoint: "access_token", error: -32, message: "rate limit" });
    const err = await tokens.accessToken(oaId()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ZaloOaTokenError);
    expect((err as ZaloOaTokenError).terminal).toBe(false);
    expect(await tokens.status(oaId())).toMatchObject({ state: "connected" });
    expect(fake.accepts(await tokens.accessToken(oaId()))).toBe(true);
  });

  it("keeps tokens encrypted at rest, bound to their OA and generation", async () => {
    const tokens = await worker();
    const pair = fake.issueTokens();
    await tokens.connect(oaId(), pair);
    const stored = await zaloOaTokenModels(db.conn).Generation.collection.find({ oaId: oaId() }).toArray();
    const text = JSON.stringify(stored);
    expect(stored).toHaveLength(1);
    expect(text).not.toContain(pair.accessToken);
    expect(text).not.toContain(pair.refreshToken);
    await expect((await worker({ key: Buffer.alloc(32, 9) })).accessToken(oaId())).rejects.toThrow();
  });
});
