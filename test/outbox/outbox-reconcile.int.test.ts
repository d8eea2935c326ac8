/**
 * Issue 8, item 8 (the outbox's part): Redis loses its data in the middle of a run — this test
 * deletes every key of its own queue prefix, never FLUSHALL (the Redis is shared) — and the
 * reconciler rebuilds the pending deliveries' jobs from MongoDB: each recipient gets the message
 * exactly once, held ones stay held, and a reconcile with nothing missing re-enqueues nothing.
 */
import { describe, it, expect, beforeAll, afterAll, afterEach } from "vitest";
import type { Redis } from "ioredis";
import type { Job, Worker } from "bullmq";
import { testConfig } from "../support/test-config.js";
import { openOutboxServices, type OutboxServices } from "../support/outbox-services.js";
import { eventually } from "../support/eventually.js";
import { deliveryState } from "../support/deliveries.js";
import type { Database } from "../../src/store/mongo.js";
import { createDeliveryRepo, MARK, type DeliveryRepo } from "../../src/store/deliveries.js";
import type { Queues } from "../../src/jobs/runtime.js";
import { createOutbox, processDelivery, startOutboxWorker, OUTBOX_JOB_OPTIONS, type OutboxWorkerOptions } from "../../src/jobs/outbox.js";
import { reconcileOutbox } from "../../src/jobs/outbox-reconcile.js";
import { jobId, type OutboxJob } from "../../src/jobs/queues.js";
import { ChannelError } from "../../src/engine/errors.js";
import { Translator } from "../../src/i18n/fluent.js";
import type { Sender } from "../../src/engine/receiver.js";
import type { Address } from "../../src/engine/messages.js";
import type { OutboxItem } from "../../src/engine/ports.js";
import { say } from "../../src/engine/say.js";

const quiet = { info: () => {}, warn: () => {} };
const to = (i: number): Address => ({ channel: "telegram", account: "bot", userId: `u${i}`, chatId: `u${i}` });

/** Records every send by chat; sends to `held` chats wait until `release()`. */
function gatedSender(held: string[]) {
  const sent = new Map<string, number>();
  const entered = new Set<string>();
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const sender: Sender = {
    async send(address) {
      if (held.includes(address.chatId)) {
        entered.add(address.chatId);
        await gate;
      }
      sent.set(address.chatId, (sent.get(address.chatId) ?? 0) + 1);
    },
  };
  return { sender, sent, entered, release };
}

describe("the reconciler rebuilds the outbox's jobs after Redis lost its data", () => {
  const config = testConfig("outbox-reconcile");
  const prefix = config.redis.queuePrefix;
  let s: OutboxServices, db: Database, redis: Redis, workerRedis: Redis, queues: Queues, repo: DeliveryRepo;
  const workers: Worker[] = [];
  const workerErrors: unknown[] = [];

  beforeAll(async () => {
    s = await openOutboxServices(config);
    ({ db, redis, workerRedis, queues } = s);
    repo = createDeliveryRepo(db.models);
  });
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.close()));
  });
  afterAll(async () => {
    await s.stop();
  });

  const startWorker = (sender: Sender) => {
    const worker = startOutboxWorker({
      connection: workerRedis, prefix, repo, senders: { telegram: sender }, translator: new Translator(),
      ratePerSecond: 100, concurrency: 4, onUnreachable: async () => {}, logger: quiet,
    });
    // Finishing a job whose keys vanished with Redis is an error BullMQ reports here.
    worker.on("error", (err) => workerErrors.push(err));
    workers.push(worker);
    return worker;
  };
  const items = (ids: number[], notBefore?: Date): OutboxItem[] =>
    ids.map((i) => ({ key: `rc-${i}`, recipient: to(i), messages: [say("notice-manage-done")], ...(notBefore ? { notBefore } : {}) }));
  const reconcile = (inFlightGraceMs?: number) => reconcileOutbox({ queue: queues.outbox, redis, repo, ...(inFlightGraceMs !== undefined ? { inFlightGraceMs } : {}) });

  /** Deletes every key of this test's prefix, as a FLUSHALL would (but only ours). */
  async function flushOurPrefix(): Promise<number> {
    let cursor = "0", deleted = 0;
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
      cursor = next;
      if (keys.length > 0) deleted += await redis.del(...keys);
    } while (cursor !== "0");
    return deleted;
  }

  it("pending, held and in-flight deliveries are each delivered exactly once after the reconciler runs", async () => {
    const outbox = createOutbox(queues.outbox, repo);
    const s = gatedSender(["u1", "u2"]);
    const worker = startWorker(s.sender);
    // A first batch: four go out, two are in flight (their sends have not returned yet).
    await outbox.enqueueGroup("batch-1", items([1, 2, 3, 4, 5, 6]));
    await eventually(() => expect([s.sent.size, s.entered.size]).toEqual([4, 2]));
    // More are waiting, and two are held for an hour (quiet hours), when Redis loses its data.
    await worker.pause(true);
    await outbox.enqueueGroup("batch-2", items([7, 8, 9, 10, 11, 12]));
    await outbox.enqueueGroup("held", items([13, 14], new Date(Date.now() + 3_600_000)));
    // A fetch already under way when the worker paused may still take one of the new jobs (sent at once).
    const before = await queues.outbox.getJobCounts("waiting", "delayed");
    const taken = 6 - before.waiting!;
    expect(before.delayed).toBe(2);
    expect(taken).toBeLessThanOrEqual(2);
    await eventually(() => expect(s.sent.size).toBe(4 + taken));
    expect(await flushOurPrefix()).toBeGreaterThan(0);
    expect(await queues.outbox.getJobCounts("waiting", "delayed", "active")).toEqual({ waiting: 0, delayed: 0, active: 0 });

    // The in-flight two are left to their worker; the others that were not sent get their jobs back.
    expect(await reconcile()).toBe(8 - taken);
    expect(await queues.outbox.getJobCounts("waiting", "delayed")).toMatchObject({ waiting: 6 - taken, delayed: 2 });
    const held = await queues.outbox.getJob(jobId("d", "rc-13"));
    expect(held?.opts.delay).toBeGreaterThan(3_500_000);
    // Nothing is missing any more: the next run (every minute) re-enqueues nothing.
    expect(await reconcile()).toBe(0);

    worker.resume();
    s.release();
    await eventually(() => expect(s.sent.size).toBe(12), { timeoutMs: 15_000 });
    await eventually(async () => expect(await queues.outbox.getJobCounts("completed")).toMatchObject({ completed: 6 - taken }), { timeoutMs: 20_000 });
    // The worker leaves the open set alone (three operations per message); once BullMQ has
    // dropped the completed jobs, the reconciler closes the finished ones in one batch.
    expect(await db.models.OpenDelivery.countDocuments({})).toBeGreaterThan(2);
    await queues.outbox.clean(0, 1_000, "completed");
    for (let i = 1; i <= 12; i++) {
      expect(s.sent.get(`u${i}`), `u${i}`).toBe(1);
      expect(await deliveryState(db.models, `rc-${i}`)).toMatchObject({ status: "sent", possibleDuplicate: false });
    }
    expect(s.sent.has("u13") || s.sent.has("u14")).toBe(false);
    expect(await reconcile()).toBe(0);
    expect((await db.models.OpenDelivery.find({}).lean()).map((d) => d._id).sort()).toEqual(["rc-13", "rc-14"]);
  });

  it("a try whose worker died with Redis is sent again once its grace is over, flagged as a possible duplicate", async () => {
    const s = gatedSender([]);
    startWorker(s.sender);
    await createOutbox(queues.outbox, repo).enqueueGroup("crashed", items([21]));
    await eventually(() => expect(s.sent.get("u21")).toBe(1));
    // A delivery whose try started on a worker that died, and whose job Redis then lost.
    await repo.createMany(items([22]).map((i) => ({ ...i, group: "crashed" })));
    await repo.mark({ id: "rc-22", group: "crashed" }, MARK.sending(1));
    expect(await reconcile()).toBe(0); // within the grace: it may still be running
    expect(await reconcile(0)).toBe(1);
    await eventually(async () => expect(await deliveryState(db.models, "rc-22")).toMatchObject({ status: "sent", possibleDuplicate: true, tries: 2 }));
    expect(s.sent.get("u22")).toBe(1);
    expect(s.sent.get("u21")).toBe(1);
  });

  it("a delivery whose last attempt failed gets a terminal mark, leaves the open set and never comes back", async () => {
    await repo.createMany(items([31]).map((i) => ({ ...i, group: "gave-up" })));
    const network: Sender = { async send() { throw new ChannelError("socket hang up", "network", { channel: "telegram" }); } };
    const attempt = (attemptsMade: number) => processDelivery({ data: { deliveryId: "rc-31" }, attemptsMade, opts: OUTBOX_JOB_OPTIONS } as unknown as Job<OutboxJob>, undefined,
      { repo, senders: { telegram: network }, translator: new Translator(), onUnreachable: async () => {}, logger: quiet } as unknown as OutboxWorkerOptions);
    await expect(attempt(0)).rejects.toMatchObject({ code: "network" });
    expect(await deliveryState(db.models, "rc-31")).toMatchObject({ status: "queued" });
    expect(await db.models.OpenDelivery.countDocuments({ _id: "rc-31" })).toBe(1);
    await expect(attempt(OUTBOX_JOB_OPTIONS.attempts - 1)).rejects.toMatchObject({ code: "network" });
    expect(await deliveryState(db.models, "rc-31")).toMatchObject({ status: "failed", error: "socket hang up" });
    // BullMQ drops the failed job after a week: the reconciler must not bring the delivery back,
    // and closes its open entry instead.
    expect(await reconcile(0)).toBe(0);
    expect(await db.models.OpenDelivery.countDocuments({ _id: "rc-31" })).toBe(0);
    expect(await queues.outbox.getJob(jobId("d", "rc-31"))).toBeUndefined();
  });
});
