/**
 * A worker that dies mid-send leaves its job active until the lock expires; BullMQ's stalled
 * check then hands it to a live worker. BullMQ fails a job that stalled more than
 * `maxStalledCount` times (its default: once) without calling the processor, so no outcome is
 * written: the delivery would stay "sending" forever. Here each death is a real worker
 * force-closed while its send hangs (its lock is no longer renewed), as a SIGKILL leaves it.
 */
import { describe, it, expect, beforeAll, afterAll, afterEach } from "vitest";
import type { Redis } from "ioredis";
import type { Worker } from "bullmq";
import { testConfig } from "../support/test-config.js";
import { openOutboxServices, type OutboxServices } from "../support/outbox-services.js";
import { eventually } from "../support/eventually.js";
import { deliveryState } from "../support/deliveries.js";
import { connectRedis } from "../../src/jobs/redis.js";
import { createDeliveryRepo, type DeliveryRepo } from "../../src/store/deliveries.js";
import { createOutbox, startOutboxWorker } from "../../src/jobs/outbox.js";
import { reconcileOutbox, GAVE_UP } from "../../src/jobs/outbox-reconcile.js";
import { STALL_LIMIT } from "../../src/jobs/worker-options.js";
import { jobId } from "../../src/jobs/queues.js";
import { Translator } from "../../src/i18n/fluent.js";
import type { Sender } from "../../src/engine/receiver.js";
import { say } from "../../src/engine/say.js";

const quiet = { info: () => {}, warn: () => {} };

describe("a delivery whose worker dies while sending it", () => {
  const config = testConfig("outbox-stalls");
  const prefix = config.redis.queuePrefix;
  let s: OutboxServices, repo: DeliveryRepo;
  const connections: Redis[] = [];
  const live: Worker[] = [];

  beforeAll(async () => {
    s = await openOutboxServices(config);
    repo = createDeliveryRepo(s.db.models);
  });
  afterEach(async () => {
    await Promise.all(live.splice(0).map((w) => w.close()));
  });
  afterAll(async () => {
    await Promise.all(connections.splice(0).map((c) => c.quit()));
    await s.stop();
  });

  /** An outbox worker with its own connection and short lock timings (a dead one's job comes back within a second). */
  async function worker(sender: Sender): Promise<Worker> {
    const connection = await connectRedis(config.redis.url, true);
    connections.push(connection);
    return startOutboxWorker({
      connection, prefix, repo, senders: { telegram: sender }, translator: new Translator(),
      ratePerSecond: 100, concurrency: 1, onUnreachable: async () => {}, logger: quiet,
      lockDuration: 400, stalledInterval: 200,
    });
  }

  /** A worker takes the job, its send never returns, and it dies: no lock renewal, no outcome. */
  async function dieWhileSending(): Promise<void> {
    let entered = false;
    const w = await worker({ send: () => { entered = true; return new Promise<void>(() => {}); } });
    await eventually(() => expect(entered).toBe(true), { timeoutMs: 20_000, message: "the job came back to a live worker" });
    await w.close(true);
  }

  const sentTo = new Map<string, number>();
  const good: Sender = { async send(address) { sentTo.set(address.chatId, (sentTo.get(address.chatId) ?? 0) + 1); } };
  const enqueue = (chat: string) => createOutbox(s.queues.outbox, repo).enqueueGroup("stalls", [{
    key: `st-${chat}`, recipient: { channel: "telegram", account: "bot", userId: chat, chatId: chat }, messages: [say("notice-manage-done")],
  }]);

  it(`is still sent after ${STALL_LIMIT} deaths in a row, once more, flagged as a possible duplicate`, async () => {
    await enqueue("c1");
    for (let i = 0; i < STALL_LIMIT; i++) await dieWhileSending();
    live.push(await worker(good));
    await eventually(async () => expect(await deliveryState(s.db.models, "st-c1")).toMatchObject({ status: "sent", possibleDuplicate: true, tries: STALL_LIMIT + 1 }), { timeoutMs: 20_000 });
    expect(sentTo.get("c1")).toBe(1);
  });

  it("one that BullMQ gives up on (it kept killing its workers) is marked failed by the reconciler and leaves the open set", async () => {
    await enqueue("c2");
    for (let i = 0; i <= STALL_LIMIT; i++) await dieWhileSending();
    live.push(await worker(good));
    const job = () => s.queues.outbox.getJob(jobId("d", "st-c2"));
    await eventually(async () => expect(await (await job())?.getState()).toBe("failed"), { timeoutMs: 20_000 });
    expect((await job())?.failedReason).toMatch(/stalled/);
    // Nothing was sent and nothing recorded an outcome: without the reconciler it stays "sending".
    expect(sentTo.has("c2")).toBe(false);
    expect(await deliveryState(s.db.models, "st-c2")).toMatchObject({ status: "sending" });

    const reconcile = () => reconcileOutbox({ queue: s.queues.outbox, redis: s.redis, repo, inFlightGraceMs: 0 });
    expect(await reconcile()).toBe(0); // nothing re-enqueued: it is not sent behind BullMQ's back
    expect(await deliveryState(s.db.models, "st-c2")).toMatchObject({ status: "failed", error: GAVE_UP, possibleDuplicate: true });
    expect(await s.db.models.OpenDelivery.countDocuments({ _id: "st-c2" })).toBe(0);
    expect(await reconcile()).toBe(0);
    expect(sentTo.has("c2")).toBe(false);
  });
});
