/**
 * A concern's clock job whose attempts all failed (the database unreachable at its time) sits
 * in BullMQ's failed set under its deterministic id. The reconciler used to see "the job
 * exists" and leave it there: the ticket was never escalated. It now runs it again, and the
 * late run escalates a ticket nobody answered.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import type { Redis } from "ioredis";
import { UnrecoverableError, Worker } from "bullmq";
import { testConfig } from "../support/test-config.js";
import { dropDatabase } from "../support/app-harness.js";
import { FakeClock } from "../support/fakes.js";
import { eventually } from "../support/eventually.js";
import { openDatabase, type Database } from "../../src/store/mongo.js";
import { registerConcernModels, ensureConcernIndexes, type ConcernModels } from "../../src/store/concern-models.js";
import { createConcerns } from "../../src/features/concerns/index.js";
import { connectRedis } from "../../src/jobs/redis.js";
import { createQueues, type Queues } from "../../src/jobs/runtime.js";
import { QUEUES } from "../../src/jobs/queues.js";
import { concernClockJobId, createConcernClockScheduler, startConcernWorker } from "../../src/jobs/concern-clocks.js";
import { seedConcernWorld, type ConcernWorld } from "./support/concern-fixture.js";
import { RecordingOutbox } from "./support/recording-outbox.js";

const hn = (local: string) => new Date(`${local}+07:00`);

describe("a concern clock whose every attempt failed", () => {
  const config = testConfig("concern-clock-failed");
  const clock = new FakeClock(hn("2026-09-14T10:00:00")); // Monday
  let db: Database, redis: Redis, workerRedis: Redis, queues: Queues, C: ConcernModels, outbox: RecordingOutbox, world: ConcernWorld;
  let service: ReturnType<typeof createConcerns>;
  const queue = () => queues.get(QUEUES.concernClocks);

  beforeAll(async () => {
    db = await openDatabase(config.mongo.uri, config.mongo.db);
    redis = await connectRedis(config.redis.url);
    workerRedis = await connectRedis(config.redis.url, true);
    queues = createQueues(redis, config.redis.queuePrefix);
    C = registerConcernModels(db.conn);
    await ensureConcernIndexes(C);
    outbox = new RecordingOutbox();
    service = createConcerns({ models: db.models, concerns: C, clock, outbox, scheduler: createConcernClockScheduler(queue(), clock) });
    world = await seedConcernWorld(db.models, { account: "bot" });
  });

  afterAll(async () => {
    await queue().obliterate({ force: true });
    await queues.close();
    await Promise.all([redis.quit(), workerRedis.quit()]);
    await db.close();
    await dropDatabase(config.mongo.uri, config.mongo.db);
  });

  it("is run again by the reconciler, and escalates the ticket nobody answered", async () => {
    const r = await service.create(await world.actor("anMom"), { studentId: world.students.an, category: "study", text: "Con bị điểm kém môn Toán mà không rõ lý do" }, "ev-failed-clock");
    if (r.status !== "created") throw new Error(r.status);
    const id = concernClockJobId({ concernId: r.ticket.id, kind: "first-response", cycle: 1 });
    const job = (await queue().getJob(id))!;
    expect(await job.getState()).toBe("delayed");

    // Its time comes while the database is down: it is taken and gives up for good (as its
    // fifth attempt would), through a worker that fetches jobs by hand (no retry left).
    await job.promote();
    const manual = new Worker(QUEUES.concernClocks, null, { connection: workerRedis, prefix: config.redis.queuePrefix });
    const taken = (await manual.getNextJob("tok"))!;
    expect(taken.id).toBe(id);
    await taken.moveToFailed(new UnrecoverableError("database unreachable"), "tok");
    await manual.close();
    expect(await (await queue().getJob(id))!.getState()).toBe("failed");

    // The reconciler (every minute, fleet-wide) runs it again, once.
    expect(await service.reconcile()).toBeGreaterThanOrEqual(1);
    expect(await (await queue().getJob(id))!.getState()).toBe("waiting");
    expect(await service.reconcile()).toBe(0);

    // Nobody answered by then: the late run escalates to Ban giám hiệu.
    clock.set(hn("2026-09-14T17:30:00"));
    const worker = startConcernWorker({ connection: workerRedis, prefix: config.redis.queuePrefix,
      runClock: (j) => service.runClock(j), runDigest: () => service.runDigest() });
    try {
      await eventually(async () => expect(await (await queue().getJob(id))!.getState()).toBe("completed"));
      expect((await queue().getJob(id))!.returnvalue).toBe("escalated");
      expect((await C.Concern.findById(r.ticket.id).lean())!.status).toBe("escalated");
      expect(outbox.keysTo("9003")).toContain("concern-escalated-to-principal");
      expect(outbox.keysTo("9101")).toContain("concern-escalated-guardian");
    } finally {
      await worker.close();
    }
  });
});
