/**
 * The OA router's holds and the outbox reconciler's open set (real FerretDB, Redis, BullMQ; the
 * OA's API is faked at its client and token manager):
 * - a hold with a retry time (the night ban on templates) stays in the open set under its
 *   delayed job, so when Redis loses that job the reconciler rebuilds it with its remaining
 *   delay and it is sent once, at its time; a hold that waits for the parent is never sent;
 * - a reconnection (or the guardian writing) that lands while a hold is being recorded leaves
 *   every released delivery in the open set (under its release job), nothing held, and nothing
 *   sent twice.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import type { Job, Worker } from "bullmq";
import { testConfig } from "../support/test-config.js";
import { openOutboxServices, type OutboxServices } from "../support/outbox-services.js";
import { eventually } from "../support/eventually.js";
import { race, RACE_WIDTH } from "../support/race.js";
import { deliveryState } from "../support/deliveries.js";
import { createDeliveryRepo, type DeliveryRepo } from "../../src/store/deliveries.js";
import { createZaloOaHeldRepository } from "../../src/store/zalo-oa-activity.js";
import { createOutbox, processDelivery, requeueDelivery, startOutboxWorker, type OutboxWorkerOptions } from "../../src/jobs/outbox.js";
import { reconcileOutbox } from "../../src/jobs/outbox-reconcile.js";
import type { OutboxJob } from "../../src/jobs/queues.js";
import { createOaRouter, type OaRouter } from "../../src/app/zalo-oa-router.js";
import type { ZaloOaParts } from "../../src/app/zalo-oa.js";
import { ZaloOaError } from "../../src/channels/zalo-oa/errors.js";
import { OaNeedsReconnectError } from "../../src/channels/zalo-oa/tokens.js";
import { Translator } from "../../src/i18n/fluent.js";
import { say } from "../../src/engine/say.js";

const quiet = { info: () => {}, warn: () => {}, error: () => {} };
const OA = "2918475639182736455";
/** The night ban on templates ends at 06:00 in Vietnam: 23:00 UTC. */
const MORNING = Date.parse("2026-10-05T23:00:00Z");

describe("OA holds and the reconciler's open set", () => {
  const config = testConfig("oa-open-set");
  let s: OutboxServices, repo: DeliveryRepo, worker: Worker | undefined;
  beforeAll(async () => {
    s = await openOutboxServices(config);
    repo = createDeliveryRepo(s.db.models);
  });
  afterAll(async () => {
    await worker?.close();
    await s.stop();
  });

  /** A fake OA: templates refused with the night ban until 06:00, consultation only while connected and after the guardian wrote. */
  function fakeOa(clock: { now(): Date }) {
    const state = { connected: true, wrote: new Map<string, Date>(), refused: 0 };
    const refusals: { n: number; then: () => void }[] = [];
    /** Resolves once `n` calls were refused for the disconnection. */
    const refusedAtLeast = (n: number) => new Promise<void>((then) => (state.refused >= n ? then() : refusals.push({ n, then })));
    const sends: { to: string; how: "template" | "consultation"; at: Date }[] = [];
    let templateCalls = 0;
    const oa = {
      oaId: OA,
      config: { buttons: "numbered", buttonTitleMax: 20, templates: { notice: "tpl-notice" }, paidSends: false, freeWindowMs: 48 * 3_600_000, paidWindowMs: 7 * 86_400_000 },
      tokens: {
        withAccessToken: async <T>(oaId: string, call: (token: string) => Promise<T>) => {
          if (!state.connected) {
            state.refused++;
            for (const w of refusals.filter((r) => r.n <= state.refused)) w.then();
            throw new OaNeedsReconnectError(oaId, "refresh refused");
          }
          return call("token");
        },
        status: async () => ({ state: state.connected ? "connected" : "needs-reconnect" }),
      },
      client: {
        sendTemplateToUser: async (_t: string, userId: string) => {
          templateCalls++;
          if (clock.now().getTime() < MORNING) throw new ZaloOaError("message/template", -133, "night ban");
          sends.push({ to: userId, how: "template", at: clock.now() });
          return { messageId: `t${sends.length}` };
        },
        sendConsultation: async (_t: string, userId: string) => {
          sends.push({ to: userId, how: "consultation", at: clock.now() });
          return { messageId: `c${sends.length}` };
        },
      },
      activity: { stateOf: async (_oa: string, userId: string) => ({ follower: true, ...(state.wrote.has(userId) ? { lastInteractionAt: state.wrote.get(userId)! } : {}) }) },
    } as unknown as ZaloOaParts;
    return { oa, state, sends, refusedAtLeast, templateCalls: () => templateCalls };
  }

  function routerFor(oa: ZaloOaParts, clock: { now(): Date }): OaRouter {
    return createOaRouter({
      oa, held: createZaloOaHeldRepository(s.db.conn, repo), keyboards: { remember: async () => {}, recall: async () => undefined }, clock,
      otherAddresses: async () => [],
      requeue: (id, tag, delayMs) => requeueDelivery(s.queues.outbox, id, tag, delayMs),
      reopen: (id, tag) => repo.reopen(id, { dueAt: new Date(0), job: tag }),
    });
  }

  const options = (router: OaRouter, r: DeliveryRepo = repo): OutboxWorkerOptions => ({
    connection: s.workerRedis, prefix: config.redis.queuePrefix, repo: r, senders: { "zalo-oa": { send: async () => { throw new Error("routed"); } } },
    routers: { "zalo-oa": router }, translator: new Translator(), ratePerSecond: 50, concurrency: 4, onUnreachable: async () => {}, logger: quiet,
  });
  const to = (userId: string) => ({ channel: "zalo-oa" as const, account: OA, userId, chatId: userId });
  const held = () => s.db.conn.collection<{ _id: string }>("zalo_oa_held");

  it("a night-ban hold whose delayed job Redis lost is rebuilt with its remaining delay and sent once at 06:00; a hold for the parent is never sent", async () => {
    // The app's clock runs in real time from 8 s before the ban ends.
    const offset = MORNING - 8_000 - Date.now();
    const clock = { now: () => new Date(Date.now() + offset) };
    const fake = fakeOa(clock);
    const router = routerFor(fake.oa, clock);
    const outbox = createOutbox(s.queues.outbox, repo, () => clock.now());
    await outbox.enqueueGroup("n-nb", [{ key: "nb1", recipient: to("91"), messages: [say("notice-manage-done")] }]);
    // No template for this kind of message: held until the parent writes.
    await outbox.enqueueGroup("x-wp", [{ key: "wp1", recipient: to("92"), messages: [say("notice-manage-done")] }]);
    worker = startOutboxWorker(options(router));

    const tag = `at${MORNING}`;
    await eventually(async () => (await s.queues.outbox.getJob(`d-nb1-${tag}`)) !== undefined && (await held().countDocuments({})) === 2,
      { timeoutMs: 15_000, message: "night-ban hold and its delayed job not recorded" });
    expect(await s.db.models.DeliveryMark.findById("nb1|route-1").lean()).toMatchObject({ error: "hold:template-deferred:none" });
    expect(await s.db.models.DeliveryMark.findById("wp1|route-1").lean()).toMatchObject({ error: "hold:no-template:none" });
    // In the open set under its delayed job; the one waiting for the parent is not.
    expect(await s.db.models.OpenDelivery.findById("nb1").lean()).toMatchObject({ dueAt: new Date(MORNING), job: tag });
    await eventually(async () => (await s.db.models.OpenDelivery.findById("wp1").lean()) === null, { timeoutMs: 15_000, message: "parent-waiting hold still open" });

    // Redis loses the delayed job: the reconciler rebuilds that job, with its remaining delay.
    await (await s.queues.outbox.getJob(`d-nb1-${tag}`))!.remove();
    expect(await reconcileOutbox({ queue: s.queues.outbox, redis: s.redis, repo, now: () => clock.now(), inFlightGraceMs: 0 })).toBe(1);
    const rebuilt = await s.queues.outbox.getJob(`d-nb1-${tag}`);
    expect(await rebuilt!.getState()).toBe("delayed");
    // Due when the app's clock reaches 06:00 (in real time: MORNING - offset), give or take the test's own steps.
    expect(Math.abs(rebuilt!.timestamp + rebuilt!.delay - (MORNING - offset))).toBeLessThan(1_000);
    expect(await reconcileOutbox({ queue: s.queues.outbox, redis: s.redis, repo, now: () => clock.now(), inFlightGraceMs: 0 })).toBe(0);

    await eventually(async () => (await deliveryState(s.db.models, "nb1"))?.status === "sent", { timeoutMs: 15_000, message: "night-ban hold not sent after 06:00" });
    expect(fake.sends.map((x) => [x.to, x.how])).toEqual([["91", "template"]]);
    expect(fake.sends[0]!.at.getTime()).toBeGreaterThanOrEqual(MORNING);
    expect(fake.templateCalls()).toBe(2); // refused at night once, then sent
    expect(await deliveryState(s.db.models, "nb1")).toMatchObject({ tries: 2, possibleDuplicate: false });

    // The one waiting for the parent: still held, not rebuilt, never sent.
    expect(await reconcileOutbox({ queue: s.queues.outbox, redis: s.redis, repo, now: () => clock.now(), inFlightGraceMs: 0 })).toBe(0);
    expect(await deliveryState(s.db.models, "wp1")).toMatchObject({ status: "queued", tries: 1 });
    expect(await held().countDocuments({ _id: "wp1" })).toBe(1);
    await worker.close();
    worker = undefined;
  }, 40_000);

  /** The outbox's try of one delivery, as the worker runs it (no worker: no chat pauses). */
  const tryOnce = (o: OutboxWorkerOptions, deliveryId: string) =>
    processDelivery({ id: `d-${deliveryId}`, data: { deliveryId }, opts: { attempts: 8 }, attemptsMade: 0 } as unknown as Job<OutboxJob>, undefined, o);

  /** Every released delivery is in the open set under a release job that Redis holds; nothing stays held. */
  async function expectReleasedAndOpen(ids: string[]): Promise<void> {
    expect(await held().countDocuments({ _id: { $in: ids } })).toBe(0);
    for (const id of ids) {
      const open = await s.db.models.OpenDelivery.findById(id).lean();
      expect(open?.job, `${id} released but out of the open set`).toMatch(/^r\d+$/);
      expect(await s.queues.outbox.getJob(`d-${id}-${open!.job}`)).toBeDefined();
    }
  }

  it("a reconnection that lands between the route decision and the recorded hold leaves the delivery released and open", async () => {
    const clock = { now: () => new Date() };
    const fake = fakeOa(clock);
    fake.state.connected = false;
    fake.state.wrote.set("93", new Date());
    const router = routerFor(fake.oa, clock);
    await repo.createMany([{ key: "gw1", group: "n-gw", recipient: to("93"), messages: [say("notice-manage-done")] }]);
    // The gate: the OA is connected again (tokens stored, then the release) while the outbox
    // records what the router decided (disconnected: hold).
    const gated: DeliveryRepo = {
      ...repo,
      async mark(d, kind, error) {
        if (d.id === "gw1" && kind === "clear-1") {
          fake.state.connected = true;
          await router.releaseDisconnected();
        }
        return repo.mark(d, kind, error);
      },
    };
    expect(await tryOnce(options(router, gated), "gw1")).toBe("held");
    await expectReleasedAndOpen(["gw1"]);

    worker = startOutboxWorker(options(router));
    await eventually(async () => (await deliveryState(s.db.models, "gw1"))?.status === "sent", { timeoutMs: 15_000, message: "released delivery not sent" });
    expect(fake.sends.map((x) => x.to)).toEqual(["93"]);
    expect(await deliveryState(s.db.models, "gw1")).toMatchObject({ tries: 2, possibleDuplicate: false });
    await worker.close();
    worker = undefined;
  }, 40_000);

  it("a guardian who writes between the route decision and the recorded hold gets the delivery at once", async () => {
    const clock = { now: () => new Date() };
    const fake = fakeOa(clock);
    const router = routerFor(fake.oa, clock);
    // No template for this kind of message and no interaction yet: held until the guardian writes.
    await repo.createMany([{ key: "iw1", group: "x-iw", recipient: to("95"), messages: [say("notice-manage-done")] }]);
    const gated: DeliveryRepo = {
      ...repo,
      async mark(d, kind, error) {
        if (d.id === "iw1" && kind === "clear-1") {
          // The webhook records the interaction, then releases what was held for them.
          fake.state.wrote.set("95", new Date());
          await router.releaseFor("95");
        }
        return repo.mark(d, kind, error);
      },
    };
    expect(await tryOnce(options(router, gated), "iw1")).toBe("held");
    expect(await s.db.models.DeliveryMark.findById("iw1|route-1").lean()).toMatchObject({ error: "hold:no-template:none" });
    await expectReleasedAndOpen(["iw1"]);

    worker = startOutboxWorker(options(router));
    await eventually(async () => (await deliveryState(s.db.models, "iw1"))?.status === "sent", { timeoutMs: 15_000, message: "released delivery not sent" });
    expect(fake.sends.map((x) => [x.to, x.how])).toEqual([["95", "consultation"]]);
    expect(await deliveryState(s.db.models, "iw1")).toMatchObject({ tries: 2, possibleDuplicate: false });
    await worker.close();
    worker = undefined;
  }, 40_000);

  it(`${RACE_WIDTH} holds racing a reconnection: every released delivery stays in the open set, none is sent twice`, async () => {
    const clock = { now: () => new Date() };
    const fake = fakeOa(clock);
    fake.state.connected = false;
    const router = routerFor(fake.oa, clock);
    const ids = Array.from({ length: RACE_WIDTH }, (_, i) => `rc${i}`);
    ids.forEach((_, i) => fake.state.wrote.set(`94${i}`, new Date()));
    await repo.createMany(ids.map((key, i) => ({ key, group: "n-rc", recipient: to(`94${i}`), messages: [say("notice-manage-done")] })));
    const o = options(router);
    // Every try against releases; the first release is the reconnection (tokens stored, then the
    // release), landing once half of the tries were refused as disconnected.
    const results = await race(2 * RACE_WIDTH, async (i) => {
      if (i % 2 === 0) return tryOnce(o, ids[i / 2]!);
      if (i === 1) {
        await fake.refusedAtLeast(RACE_WIDTH / 2);
        fake.state.connected = true;
      }
      return router.releaseDisconnected();
    });
    expect(results.filter((r) => typeof r === "object")).toEqual([]);
    expect(results.filter((r) => r === "held").length).toBeGreaterThanOrEqual(RACE_WIDTH / 2);
    const sentAlready = ids.filter((_, i) => results[2 * i] === "sent");
    await expectReleasedAndOpen(ids.filter((id) => !sentAlready.includes(id)));

    worker = startOutboxWorker(o);
    await eventually(async () => (await Promise.all(ids.map((id) => deliveryState(s.db.models, id)))).every((st) => st?.status === "sent"),
      { timeoutMs: 20_000, message: "not every delivery sent after the reconnection" });
    expect(fake.sends.map((x) => x.to).sort()).toEqual(ids.map((_, i) => `94${i}`).sort());
    for (const id of ids) expect((await deliveryState(s.db.models, id))!.possibleDuplicate).toBe(false);
    await worker.close();
    worker = undefined;
  }, 60_000);
});
