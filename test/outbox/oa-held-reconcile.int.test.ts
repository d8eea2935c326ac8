/**
 * A held OA delivery and the outbox reconciler (real FerretDB, Redis, BullMQ): while held it is
 * out of the open set, so a Redis loss followed by a reconciliation does not send it; once
 * released (the OA router's release: reconnection or the guardian writing) it is back in the
 * open set under its release job's id, so if Redis loses that job the reconciler rebuilds it
 * and it is sent exactly once.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import type { Redis } from "ioredis";
import type { Worker } from "bullmq";
import { testConfig } from "../support/test-config.js";
import { openOutboxServices, type OutboxServices } from "../support/outbox-services.js";
import { eventually } from "../support/eventually.js";
import type { Database } from "../../src/store/mongo.js";
import { createDeliveryRepo, type DeliveryRepo } from "../../src/store/deliveries.js";
import { createZaloOaHeldRepository, type ZaloOaHeldRepository } from "../../src/store/zalo-oa-activity.js";
import type { Queues } from "../../src/jobs/runtime.js";
import { createOutbox, requeueDelivery, startOutboxWorker, type DeliveryRouter } from "../../src/jobs/outbox.js";
import { reconcileOutbox } from "../../src/jobs/outbox-reconcile.js";
import { createOaRouter } from "../../src/app/zalo-oa-router.js";
import type { ZaloOaParts } from "../../src/app/zalo-oa.js";
import { Translator } from "../../src/i18n/fluent.js";
import { say } from "../../src/engine/say.js";
import { deliveryState } from "../support/deliveries.js";
import { race, RACE_WIDTH } from "../support/race.js";

const quiet = { info: () => {}, warn: () => {}, error: () => {} };
const OA = "2918475639182736455";

describe("held OA deliveries and the reconciler", () => {
  const config = testConfig("oa-held-rec");
  const prefix = config.redis.queuePrefix;
  let s: OutboxServices, db: Database, redis: Redis, workerRedis: Redis, queues: Queues, repo: DeliveryRepo, worker: Worker | undefined;
  beforeAll(async () => {
    s = await openOutboxServices(config);
    ({ db, redis, workerRedis, queues } = s);
    repo = createDeliveryRepo(db.models);
  });
  afterAll(async () => {
    await worker?.close();
    await s.stop();
  });

  /** The OA router as the app wires it, over this test's held repository, queue and delivery repo. */
  function oaRouterOver(held: ZaloOaHeldRepository) {
    return createOaRouter({
      oa: { oaId: OA, config: { buttons: "numbered", buttonTitleMax: 20 } } as unknown as ZaloOaParts,
      held, keyboards: { remember: async () => {}, recall: async () => undefined }, clock: { now: () => new Date() },
      otherAddresses: async () => [],
      requeue: (id, tag, delayMs) => requeueDelivery(queues.outbox, id, tag, delayMs),
      reopen: (id, tag) => repo.reopen(id, { dueAt: new Date(0), job: tag }),
    });
  }

  /** Deletes every key of this test's prefix, as a FLUSHALL would (but only ours). */
  async function flushOurPrefix(): Promise<void> {
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== "0");
  }

  it("held: not re-sent by the reconciler; released then lost with Redis: rebuilt and sent once", async () => {
    const held = createZaloOaHeldRepository(db.conn, repo);
    const oaRouter = oaRouterOver(held);
    // The route itself is scripted: first the OA is disconnected (held as the OA router holds), then it sends.
    let mode: "hold" | "send" = "hold";
    const sent: string[] = [];
    const router: DeliveryRouter = {
      async route(delivery) {
        if (mode === "send") { sent.push(delivery.id); return { status: "sent", route: "consultation:free" }; }
        const keep = () => held.hold({ deliveryId: delivery.id, oaId: OA, userId: delivery.recipient.userId, reason: "oa-disconnected", at: new Date() });
        return { status: "held", route: "hold:oa-disconnected:none", keep };
      },
    };
    const start = () => startOutboxWorker({
      connection: workerRedis, prefix, repo, senders: { "zalo-oa": { send: async () => { throw new Error("routed"); } } }, routers: { "zalo-oa": router },
      translator: new Translator(), ratePerSecond: 50, concurrency: 2, onUnreachable: async () => {}, logger: quiet,
    });
    const reconcile = () => reconcileOutbox({ queue: queues.outbox, redis, repo, inFlightGraceMs: 0 });

    await createOutbox(queues.outbox, repo).enqueueGroup("n-h", [{ key: "oh1", recipient: { channel: "zalo-oa", account: OA, userId: "77", chatId: "77" }, messages: [say("notice-manage-done")] }]);
    worker = start();
    await eventually(async () => (await db.models.DeliveryMark.findById("oh1|clear-1").lean()) !== null, { timeoutMs: 20_000, message: "not held" });
    await worker.close();
    worker = undefined;
    expect(await db.models.OpenDelivery.findById("oh1").lean()).toBeNull();

    // Redis loses everything while it is held: the reconciler leaves it alone.
    await flushOurPrefix();
    mode = "send";
    expect(await reconcile()).toBe(0);
    expect(await queues.outbox.getJobCounts("waiting", "delayed")).toEqual({ waiting: 0, delayed: 0 });

    // Released (no worker yet), then Redis loses the release job: the reconciler brings it back.
    expect(await oaRouter.releaseDisconnected()).toBe(1);
    const open = await db.models.OpenDelivery.findById("oh1").lean();
    expect(open?.job).toMatch(/^r\d+$/);
    await flushOurPrefix();
    expect(await reconcile()).toBe(1);
    expect(await queues.outbox.getJob(`d-oh1-${open!.job}`)).toBeDefined();
    expect(await reconcile()).toBe(0); // the rebuilt job is there now

    worker = start();
    await eventually(async () => (await deliveryState(db.models, "oh1"))?.status === "sent", { timeoutMs: 20_000, message: "rebuilt job not sent" });
    expect(sent).toEqual(["oh1"]);
    expect(await deliveryState(db.models, "oh1")).toMatchObject({ tries: 2, possibleDuplicate: false });
  }, 40_000);

  it(`${RACE_WIDTH} releases at once (reconnection and guardians writing): each hold released by one of them, one job per held delivery, each sent once`, async () => {
    await worker?.close(); // no worker while the releases race
    worker = undefined;
    const held = createZaloOaHeldRepository(db.conn, repo);
    const oaRouter = oaRouterOver(held);
    const ids = ["rr1", "rr2", "rr3"];
    await repo.createMany(ids.map((key, i) => ({ key, group: "n-rr", recipient: { channel: "zalo-oa" as const, account: OA, userId: `8${i}`, chatId: `8${i}` }, messages: [say("notice-manage-done")] })));
    // Held as the outbox leaves them: try 1 cleared, out of the open set, kept by the router.
    for (const [i, id] of ids.entries()) {
      await repo.mark({ id, group: "n-rr" }, "sending-1");
      await repo.mark({ id, group: "n-rr" }, "clear-1", "held");
      await held.hold({ deliveryId: id, oaId: OA, userId: `8${i}`, reason: "oa-disconnected", at: new Date(Date.now() - 1_000 * (i + 1)) });
    }
    await repo.closeOpen(ids);
    const released = await race(RACE_WIDTH, (i) => (i % 2 === 0 ? oaRouter.releaseDisconnected() : oaRouter.releaseFor(`8${i % 3}`)));
    // Every release found the holds; each hold was released (reopened, its job queued) by one of them only.
    expect(released.reduce<number>((n, r) => n + (typeof r === "number" ? r : Number.NaN), 0)).toBe(ids.length);
    const jobs = await queues.outbox.getJobs(["waiting", "delayed"]);
    for (const id of ids) expect(jobs.filter((j) => j.data.deliveryId === id)).toHaveLength(1);

    const sent: string[] = [];
    const router: DeliveryRouter = { async route(d) { sent.push(d.id); return { status: "sent", route: "consultation:free" }; } };
    worker = startOutboxWorker({
      connection: workerRedis, prefix, repo, senders: { "zalo-oa": { send: async () => { throw new Error("routed"); } } }, routers: { "zalo-oa": router },
      translator: new Translator(), ratePerSecond: 50, concurrency: 4, onUnreachable: async () => {}, logger: quiet,
    });
    await eventually(async () => (await Promise.all(ids.map((id) => deliveryState(db.models, id)))).every((st) => st?.status === "sent"), { timeoutMs: 15_000 });
    expect(sent.sort()).toEqual(ids);
    for (const id of ids) expect((await deliveryState(db.models, id))!.possibleDuplicate).toBe(false);
  }, 40_000);
});
