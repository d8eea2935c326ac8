/**
 * Fuzz through the real webhook endpoints of a running app (real Redis, BullMQ, database, HTTP;
 * fake messengers): random and mutated updates, broken and pathological bodies. Nothing crashes,
 * no promise is left rejected, every answer is 200 or 400 (never 5xx), every recorded update is
 * handled, the app still answers /healthz, nothing is logged at error level and the heap of a
 * second batch stays near the first.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { Writable } from "node:stream";
import { startTestApp, dropDatabase, type TestApp } from "../support/app-harness.js";
import { createApp, type App } from "../../src/app/container.js";
import { createLogger } from "../../src/app/logger.js";
import { FakeZalo } from "../support/fake-zalo.js";
import { testConfig } from "../support/test-config.js";
import { eventually } from "../support/eventually.js";
import { prng, mutate, telegramUpdate, zaloUpdate, rawBody } from "./fuzz-kit.js";

const SEED = 0xf022;
const BATCH = 150; // per batch; two batches per endpoint
const PARALLEL = 8;

/** A logger at level warn whose lines (parsed) are kept for the assertions. */
function capturedLogger() {
  const lines: { level: number; msg: string }[] = [];
  const stream = new Writable({ write(chunk: Buffer, _enc, done) { for (const l of chunk.toString().split("\n")) if (l) lines.push(JSON.parse(l)); done(); } });
  return { logger: createLogger("warn", stream), errors: () => lines.filter((l) => l.level >= 50) };
}

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => { unhandled.push(reason); };

/** Posts `bodies` with the secret, `PARALLEL` at a time; returns the statuses by body index. */
async function postAll(url: string, header: string, secret: string, bodies: string[]): Promise<number[]> {
  const statuses: number[] = new Array(bodies.length);
  let next = 0;
  await Promise.all(Array.from({ length: PARALLEL }, async () => {
    while (next < bodies.length) {
      const i = next++;
      const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json", [header]: secret }, body: bodies[i]! });
      await res.arrayBuffer();
      statuses[i] = res.status;
    }
  }));
  return statuses;
}

/** Fails with the seed, the case and a prefix of its body for each answer that is not 200/400. */
function expectOnly200or400(statuses: number[], bodies: string[], first: number) {
  const bad = statuses.map((s, i) => ({ s, i })).filter(({ s }) => s !== 200 && s !== 400);
  expect(bad.map(({ s, i }) => `case ${first + i} (seed ${SEED}): ${s} for ${bodies[i]!.slice(0, 200)}`)).toEqual([]);
}

async function allHandled(app: App, errors: () => unknown[]) {
  try {
    await eventually(async () => (await app.db.models.ProcessedEvent.countDocuments({ status: { $ne: "done" } })) === 0, { timeoutMs: 60_000 });
  } catch {
    const stuck = await app.db.models.ProcessedEvent.find({ status: { $ne: "done" } }).limit(3).lean();
    throw new Error(`recorded updates left unhandled: ${JSON.stringify(stuck).slice(0, 1500)}; errors logged: ${JSON.stringify(errors()).slice(0, 1500)}`);
  }
}

const heapMb = () => process.memoryUsage().heapUsed / 2 ** 20;

beforeAll(() => { process.on("unhandledRejection", onUnhandled); });
afterAll(() => { process.off("unhandledRejection", onUnhandled); });

describe("the Telegram webhook under fuzzing", () => {
  let t: TestApp;
  const logs = capturedLogger();
  beforeAll(async () => { t = await startTestApp("fuzz-tg", { webhook: true, logger: logs.logger }); });
  afterAll(async () => { await t?.stop(); });

  it("answers 200 or 400 to every fuzzed update, handles what it recorded, stays healthy and bounded", async () => {
    const r = prng(SEED);
    const batch = (first: number) => Array.from({ length: BATCH }, (_, k) => {
      const good = telegramUpdate(r, 10_000 + first + k);
      return rawBody(r, r() < 0.6 ? mutate(r, good) : good);
    });
    const url = `${t.app.url}/telegram/webhook`;
    const one = batch(0);
    expectOnly200or400(await postAll(url, "x-telegram-bot-api-secret-token", "test-secret_123", one), one, 0);
    await allHandled(t.app, logs.errors);
    const afterFirst = heapMb();
    const two = batch(BATCH);
    const statuses = await postAll(url, "x-telegram-bot-api-secret-token", "test-secret_123", two);
    expectOnly200or400(statuses, two, BATCH);
    await allHandled(t.app, logs.errors);
    expect(heapMb() - afterFirst).toBeLessThan(150); // generous: a leak per update of the 300 KB texts would exceed it
    expect(statuses.filter((s) => s === 400).length).toBeGreaterThan(0); // malformed bodies were refused…
    expect(await t.app.db.models.ProcessedEvent.countDocuments()).toBeGreaterThan(BATCH / 4); // …and well-formed ones recorded
    expect((await fetch(`${t.app.url}/healthz`)).status).toBe(200);
    expect(logs.errors()).toEqual([]);
    expect(unhandled).toEqual([]);
  }, 120_000);
});

describe("the Zalo Bot webhook under fuzzing", () => {
  const secret = "zalo-secret_123";
  let app: App, zalo: FakeZalo, db: { uri: string; db: string };
  const logs = capturedLogger();
  beforeAll(async () => {
    zalo = await FakeZalo.start({ webhookForm: "flat" });
    const config = testConfig("fuzz-zalo", { ZALO_BOT_TOKEN: zalo.token, ZALO_API_ROOT: zalo.apiRoot, PUBLIC_URL: "http://127.0.0.1:1", WEBHOOK_SECRET: "test-secret_123", ZALO_WEBHOOK_SECRET: secret });
    db = config.mongo;
    app = await createApp(config, logs.logger);
  });
  afterAll(async () => {
    await app?.stop();
    await zalo?.close();
    if (db) await dropDatabase(db.uri, db.db);
  });

  it("answers 200 or 400 to every fuzzed update, handles what it recorded, stays healthy and bounded", async () => {
    const r = prng(SEED + 1);
    const batch = (first: number) => Array.from({ length: BATCH }, (_, k) => {
      const good = zaloUpdate(r, `f${first + k}`);
      return rawBody(r, r() < 0.6 ? mutate(r, good) : good);
    });
    const url = `${app.url}/zalo/webhook`;
    const one = batch(0);
    expectOnly200or400(await postAll(url, "x-bot-api-secret-token", secret, one), one, 0);
    await allHandled(app, logs.errors);
    const afterFirst = heapMb();
    const two = batch(BATCH);
    const statuses = await postAll(url, "x-bot-api-secret-token", secret, two);
    expectOnly200or400(statuses, two, BATCH);
    await allHandled(app, logs.errors);
    expect(heapMb() - afterFirst).toBeLessThan(150);
    expect(statuses.filter((s) => s === 400).length).toBeGreaterThan(0);
    expect(await app.db.models.ProcessedEvent.countDocuments()).toBeGreaterThan(BATCH / 4);
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
    expect(logs.errors()).toEqual([]);
    expect(unhandled).toEqual([]);
  }, 120_000);
});
