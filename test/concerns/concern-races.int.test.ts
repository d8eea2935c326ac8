/**
 * Contested ticket changes on the real server (FerretDB in CI, MongoDB when MONGODB_URI points
 * at one), K ≥ 8 concurrent attempts each: resolve against the first-response clock, the
 * teacher's escalation against resolve, hand back against resolve, reopen ×2; ticket numbers
 * after an erasure; clock jobs rebuilt from MongoDB after Redis lost them.
 */
import { describe, it, expect, beforeEach, afterEach } from "vitest";
import { once } from "node:events";
import type { Redis } from "ioredis";
import { testConfig } from "../support/test-config.js";
import { dropDatabase } from "../support/app-harness.js";
import { FakeClock } from "../support/fakes.js";
import { RACE_WIDTH, expectOneWinner, race } from "../support/race.js";
import { openDatabase, type Database } from "../../src/store/mongo.js";
import { registerConcernModels, ensureConcernIndexes, type ConcernModels } from "../../src/store/concern-models.js";
import { eraseConcernsOf } from "../../src/store/concern-tickets.js";
import { createDeliveryRepo } from "../../src/store/deliveries.js";
import { createConcerns, type Concerns } from "../../src/features/concerns/index.js";
import type { ConcernActionResult } from "../../src/features/concerns/port.js";
import { readFacts } from "../../src/features/concerns/transition.js";
import { foldTicket } from "../../src/features/concerns/ticket-state.js";
import { connectRedis } from "../../src/jobs/redis.js";
import { createQueues, type Queues } from "../../src/jobs/runtime.js";
import { createOutbox } from "../../src/jobs/outbox.js";
import { QUEUES } from "../../src/jobs/queues.js";
import { createConcernClockScheduler, startConcernWorker } from "../../src/jobs/concern-clocks.js";
import { seedConcernWorld, type ConcernWorld, type Who } from "./support/concern-fixture.js";

const hn = (local: string) => new Date(`${local}+07:00`);
type Category = "study" | "bullying";

describe("contested concern changes are decided once (race kit, real FerretDB and BullMQ)", () => {
  const config = testConfig("concern-race");
  const clock = new FakeClock(hn("2026-09-14T09:00:00"));
  let db: Database, redis: Redis, workerRedis: Redis, queues: Queues, C: ConcernModels, service: Concerns, world: ConcernWorld;
  const closers: (() => Promise<unknown>)[] = [];
  const queue = () => queues.get(QUEUES.concernClocks);
  const raise = async (who: "anMom" | "binhMom" = "anMom", category: Category = "study", eventId = `ev-${Math.random()}`) => {
    const studentId = who === "anMom" ? world.students.an : world.students.binh;
    const r = await service.create(await world.actor(who), { studentId, category, text: "Con bị bạn trêu chọc nhiều lần trong giờ ra chơi" }, eventId);
    if (r.status !== "created") throw new Error(r.status);
    return r.ticket;
  };
  const facts = (id: string) => readFacts({ models: db.models }, id);
  const kinds = async (id: string) => (await facts(id)).map((f) => f.kind);
  /** The message keys each person was sent about a ticket (the fake clock stands still: order not kept). */
  const told = async (who: Who, id: string) =>
    (await db.models.Delivery.find({ group: `pa-${id}`, identityId: world.identities[who] }).sort({ createdAt: 1 }).lean()).map((d) => JSON.parse(d.messages)[0].key as string);
  const count = (keys: string[], key: string) => keys.filter((k) => k === key).length;
  /** The stored summary is the fold of the facts. */
  const expectSummaryOfFacts = async (id: string) => {
    const s = foldTicket(await facts(id));
    const doc = (await C.Concern.findById(id).lean())!;
    expect({ status: doc.status, cycle: doc.cycle, escalations: doc.escalations, reopens: doc.reopens, version: doc.version })
      .toEqual({ status: s.status, cycle: s.cycle, escalations: s.escalations, reopens: s.reopens, version: s.version });
    return s;
  };

  beforeEach(async () => {
    clock.set(hn("2026-09-14T09:00:00"));
    db = await openDatabase(config.mongo.uri, config.mongo.db);
    redis = await connectRedis(config.redis.url);
    workerRedis = await connectRedis(config.redis.url, true);
    queues = createQueues(redis, config.redis.queuePrefix);
    C = registerConcernModels(db.conn);
    await ensureConcernIndexes(C);
    service = createConcerns({
      models: db.models, concerns: C, clock,
      outbox: createOutbox(queues.outbox, createDeliveryRepo(db.models), () => clock.now()),
      scheduler: createConcernClockScheduler(queue(), clock),
    });
    world = await seedConcernWorld(db.models, { account: "bot" });
  });

  afterEach(async () => {
    for (const c of closers.splice(0)) await c();
    await queue().obliterate({ force: true });
    await queues.outbox.obliterate({ force: true });
    await queues.close();
    await redis.quit();
    await workerRedis.quit();
    await db.close();
    await dropDatabase(config.mongo.uri, config.mongo.db);
  });

  it("'Đã giải quyết' pressed as the first-response clock escalates: one resolution, at most one escalation, one story for guardian and principal", async () => {
    for (let round = 0; round < 3; round++) {
      clock.set(hn("2026-09-14T09:00:00"));
      const t = await raise();
      clock.set(hn("2026-09-14T17:00:00"));
      const teacher = await world.actor("teacher");
      const job = { concernId: t.id, kind: "first-response" as const, cycle: 1 };
      const results = await race<ConcernActionResult | string>(RACE_WIDTH, (i) => (i % 2 ? service.resolve(teacher, t.id) : service.runClock(job)));
      expectOneWinner(results, (r) => typeof r === "object" && r.status === "ok");
      const k = await kinds(t.id);
      expect([["created", "resolved"], ["created", "escalated", "resolved"]]).toContainEqual(k);
      const escalated = count(k, "escalated");
      const s = await expectSummaryOfFacts(t.id);
      expect(s).toMatchObject({ status: "resolved", cycle: 1, escalations: escalated });
      const guardian = await told("anMom", t.id);
      expect(count(guardian, "concern-resolved-guardian")).toBe(1);
      expect(count(guardian, "concern-escalated-guardian")).toBe(escalated);
      // The principal hears "escalated" only if it was, and then that it was resolved.
      expect((await told("principal", t.id)).sort()).toEqual(escalated ? ["concern-escalated-to-principal", "concern-resolved-principal"] : []);
      // The clock running again afterwards changes nothing.
      await service.runClock(job);
      expect(await kinds(t.id)).toEqual(k);
    }
  });

  it("the teacher's 'Chuyển Ban giám hiệu' against 'Đã giải quyết': resolved once, escalated at most once, and the principal is told only what happened", async () => {
    const t = await raise();
    const teacher = await world.actor("teacher");
    const results = await race(RACE_WIDTH, (i) => (i % 2 ? service.resolve(teacher, t.id) : service.escalate(teacher, t.id)));
    const resolves = results.filter((_, i) => i % 2);
    expectOneWinner(resolves, (r) => "status" in r && r.status === "ok");
    const k = await kinds(t.id);
    expect(count(k, "resolved")).toBe(1);
    expect(count(k, "escalated")).toBeLessThanOrEqual(1);
    expect(k.at(-1)).toBe("resolved");
    const s = await expectSummaryOfFacts(t.id);
    expect(s.status).toBe("resolved");
    expect((await told("principal", t.id)).sort()).toEqual(count(k, "escalated") ? ["concern-escalated-to-principal", "concern-resolved-principal"] : []);
    expect(count(await told("anMom", t.id), "concern-escalated-guardian")).toBe(count(k, "escalated"));
  });

  it("the principal's hand back against the teacher's resolve: one hand back at most, one resolution, the cycle counted from the facts", async () => {
    const t = await raise();
    await service.escalate(await world.actor("teacher"), t.id);
    const principal = await world.actor("principal"), teacher = await world.actor("teacher");
    const results = await race(RACE_WIDTH, (i) => (i % 2 ? service.resolve(teacher, t.id) : service.handBack(principal, t.id)));
    expectOneWinner(results.filter((_, i) => i % 2), (r) => "status" in r && r.status === "ok");
    const k = await kinds(t.id);
    expect(count(k, "handed-back")).toBeLessThanOrEqual(1);
    expect(count(k, "resolved")).toBe(1);
    const s = await expectSummaryOfFacts(t.id);
    expect(s).toMatchObject({ status: "resolved", cycle: 1 + count(k, "handed-back") });
    expect(count(await told("anMom", t.id), "concern-handed-back-guardian")).toBe(count(k, "handed-back"));
  });

  it("reopen pressed on eight phones at once, twice: exactly one reopen each time, exact counts; the third goes to the principal once", async () => {
    const t = await raise();
    const teacher = await world.actor("teacher"), mom = await world.actor("anMom");
    for (let round = 1; round <= 3; round++) {
      expect((await service.resolve(teacher, t.id)).status).toBe("ok");
      const results = await race(RACE_WIDTH, () => service.reopen(mom, t.id));
      const winner = expectOneWinner(results, (r) => r.status === "reopened");
      expect(results.filter((_, i) => i !== winner).map((r) => ("status" in r ? r.status : r))).toEqual(Array(RACE_WIDTH - 1).fill("not-resolved"));
      expect(results[winner]).toMatchObject({ to: round < 3 ? "teacher" : "principal" });
      const s = await expectSummaryOfFacts(t.id);
      expect(s).toMatchObject({ reopens: round, cycle: round + 1, escalations: round < 3 ? 0 : 1, status: round < 3 ? "in-progress" : "escalated" });
    }
    expect(count(await told("teacher", t.id), "concern-reopened-staff")).toBe(2);
    expect(count(await told("principal", t.id), "concern-escalated-to-principal")).toBe(1);
  });

  it("ticket numbers are never reissued after an erasure, and eight concerns raised at once get eight numbers", async () => {
    expect((await raise("binhMom")).number).toBe("PA-0001");
    expect((await raise("anMom")).number).toBe("PA-0002");
    expect((await raise("anMom")).number).toBe("PA-0003");
    expect(await eraseConcernsOf(db.models, C, world.identities.anMom)).toMatchObject({ concerns: 2 });
    expect((await raise("binhMom")).number).toBe("PA-0004");
    const results = await race(RACE_WIDTH, (i) => raise(i % 2 ? "anMom" : "binhMom"));
    const numbers = results.map((r) => ("number" in r ? r.number : String(r.error)));
    expect(numbers.sort()).toEqual(Array.from({ length: RACE_WIDTH }, (_, i) => `PA-${String(5 + i).padStart(4, "0")}`));
    // The erased tickets' number facts keep nothing about them.
    const placeholders = await db.models.Transition.find({ entity: `concern-numbers:${world.schoolId}`, _id: { $in: [`concern-numbers:${world.schoolId}#n2`, `concern-numbers:${world.schoolId}#n3`] } }).lean();
    expect(placeholders.map((p) => p.data)).toEqual(["{}", "{}"]);
  });

  it("Redis loses the clock jobs: reconcile rebuilds them from MongoDB and a bullying concern still escalates exactly once", async () => {
    const bullying = await raise("anMom", "bullying");
    const study = await raise("binhMom", "study");
    const jobIds = (id: string) => [`pclk-${id}-first-response-c1`, `pclk-${id}-resolution-c1`];
    // Wipe this test's own clock queue keys (never FLUSHALL: the server is shared).
    const prefix = `${config.redis.queuePrefix}:${QUEUES.concernClocks}:`;
    const wipe = async () => {
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
    };
    await wipe();
    expect(await queue().getJob(jobIds(bullying.id)[0]!)).toBeUndefined();
    // A summary its winner never finished writing is rebuilt from the facts on the way.
    await C.Concern.updateOne({ _id: study.id }, { $set: { version: 0, escalations: 5 } });
    expect(await service.reconcile()).toBe(4);
    expect(await expectSummaryOfFacts(study.id)).toMatchObject({ version: 1, escalations: 0 });
    expect(await service.reconcile()).toBe(0);
    for (const id of [...jobIds(bullying.id), ...jobIds(study.id)]) expect(await queue().getJob(id)).toBeTruthy();

    clock.set(hn("2026-09-14T17:00:00"));
    const w = startConcernWorker({ connection: workerRedis, prefix: config.redis.queuePrefix, runClock: service.runClock, runDigest: service.runDigest });
    closers.push(() => w.close());
    const done = once(w, "completed");
    await (await queue().getJob(jobIds(bullying.id)[0]!))!.promote();
    expect((await done)[1]).toBe("escalated");
    // Redis loses everything again: the escalated ticket needs no clock, the other keeps both.
    await wipe();
    expect(await service.reconcile()).toBe(2);
    expect(await service.runClock({ concernId: bullying.id, kind: "first-response", cycle: 1 })).toBe("escalated");
    expect(count(await kinds(bullying.id), "escalated")).toBe(1);
    expect(count(await told("principal", bullying.id), "concern-escalated-to-principal")).toBe(1);
    expect(count(await told("anMom", bullying.id), "concern-escalated-guardian")).toBe(1);
  });
});
