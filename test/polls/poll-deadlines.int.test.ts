/**
 * Poll deadlines on the real BullMQ: a job that fires before the deadline waits (delayed, not
 * failed) and closes at the deadline; after Redis lost this test's keys, the reconciler
 * rebuilds the deadline job from MongoDB and the poll still closes once at its deadline.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import type { Redis } from "ioredis";
import { testConfig } from "../support/test-config.js";
import { useDatabase } from "../support/database.js";
import { eventually } from "../support/eventually.js";
import { connectRedis } from "../../src/jobs/redis.js";
import { createQueues, type Queues } from "../../src/jobs/runtime.js";
import { createLogger } from "../../src/app/logger.js";
import { wirePolls, type PollsAndOpinionsPort } from "../../src/features/polls/wiring.js";
import { POLL_DEADLINES_QUEUE, deadlineJobId } from "../../src/jobs/poll-deadlines.js";
import type { FeatureDeps, FeatureWiring, Closable } from "../../src/app/feature.js";
import type { OutboxItem } from "../../src/engine/ports.js";
import { seedSchool, actorFor, type SeededSchool } from "./seed.js";

describe("poll deadline jobs on the real BullMQ", () => {
  const config = testConfig("poll-deadlines");
  const prefix = config.redis.queuePrefix;
  const db = useDatabase(config);
  let redis: Redis, workerRedis: Redis;
  let queues: Queues;
  let wiring: FeatureWiring<PollsAndOpinionsPort>;
  let workers: Closable[] = [];
  let school: SeededSchool;
  const sent: { group: string; items: OutboxItem[] }[] = [];
  const failed: string[] = [];

  beforeAll(async () => {
    [redis, workerRedis] = await Promise.all([connectRedis(config.redis.url), connectRedis(config.redis.url, true)]);
    queues = createQueues(redis, prefix);
    const outbox = { enqueue: async (items: OutboxItem[]) => { sent.push({ group: "", items }); }, enqueueGroup: async (group: string, items: OutboxItem[]) => { sent.push({ group, items }); } };
    const deps = {
      config, db, queues, outbox, clock: { now: () => new Date() }, logger: createLogger("silent"), workerConnection: workerRedis, queuePrefix: prefix,
      directory: undefined as never, translator: undefined as never,
    } satisfies FeatureDeps;
    // No tolerance: a job even a little early must wait for the deadline.
    wiring = wirePolls(deps, { deadlineToleranceMs: 0 });
    await wiring.init!();
    workers = await wiring.startWorkers!();
    (workers[0] as unknown as { on(e: "failed", f: (job: { id?: string }) => void): void }).on("failed", (job) => failed.push(String(job.id)));
    school = await seedSchool(db.models, { account: "bot", studentNames: ["Nguyễn Văn An"], guardians: { mom: [0] }, boardUser: "board" });
  });
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.close()));
    await queues?.close();
    await Promise.all([redis?.quit(), workerRedis?.quit()]);
  });

  const createPoll = async (eventId: string, inMs: number) => {
    const r = await wiring.service.createPoll(await actorFor(db.models, school, "board"), {
      scope: { kind: "class", schoolId: school.schoolId, classGroupId: school.classId, className: "6A1" },
      question: "Chọn ngày dã ngoại", options: ["Thứ Bảy", "Chủ Nhật"], multiple: false, anonymity: "anonymous", closesAt: new Date(Date.now() + inMs),
    }, eventId);
    if (r.status !== "created") throw new Error(r.status);
    return r.poll;
  };
  const results = (pollId: string) => sent.filter((s) => s.group === `poll-result-${pollId}`);
  const job = (pollId: string) => queues.get(POLL_DEADLINES_QUEUE).getJob(deadlineJobId("poll", pollId));

  it("a deadline job that fires early is delayed until the deadline, not failed, and then closes the poll", async () => {
    const poll = await createPoll("ev-early", 2_500);
    await (await job(poll.id))!.promote(); // fires now, 2.5 s early (as with a skewed clock)
    await eventually(async () => {
      const j = (await job(poll.id))!;
      return (await j.getState()) === "delayed" && !!j.processedOn;
    }, { message: "job back in the delayed set" });
    expect(results(poll.id)).toHaveLength(0);
    await eventually(async () => (await (await job(poll.id))!.getState()) === "completed", { timeoutMs: 20_000, message: "deadline job completed" });
    expect((await job(poll.id))!.returnvalue).toBe("closed");
    expect(failed).toEqual([]);
    const fact = (await db.models.Transition.findById(`poll:${poll.id}#close`).lean())!;
    expect(new Date(fact.at).getTime()).toBeGreaterThanOrEqual(poll.closesAt.getTime());
    expect(results(poll.id)).toHaveLength(1);
  });

  it("after Redis lost this test's keys, reconcile rebuilds the deadline job and the poll closes once at its deadline", async () => {
    const poll = await createPoll("ev-reconcile", 2_000);
    expect(await wiring.reconcile!()).toBe(0); // its job is there: nothing to rebuild
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 500);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== "0");
    expect(await job(poll.id)).toBeUndefined();
    expect(await wiring.reconcile!()).toBe(1);
    expect(await wiring.reconcile!()).toBe(0);
    await eventually(() => results(poll.id).length === 1, { timeoutMs: 20_000, message: "result published" });
    const fact = (await db.models.Transition.findById(`poll:${poll.id}#close`).lean())!;
    expect(new Date(fact.at).getTime()).toBeGreaterThanOrEqual(poll.closesAt.getTime());
    await eventually(async () => (await (await job(poll.id))!.getState()) === "completed", { message: "rebuilt job completed" });
    expect((await job(poll.id))!.returnvalue).toBe("closed");
    expect(await wiring.reconcile!()).toBe(0); // a closed, published poll needs no job
    expect(results(poll.id)).toHaveLength(1);
  });
});
