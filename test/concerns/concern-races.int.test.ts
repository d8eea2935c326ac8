/**
 * Contested ticket changes on the real server (FerretDB in CI, MongoDB when MONGODB_URI points
 * at one), K ≥ 8 concurrent attempts each: resolve against the first-response clock, the
 * teacher's escalation against resolve, hand back against resolve, reopen ×2; ticket numbers
 * after an erasure; clock jobs rebuilt from MongoDB after Redis lost them.
 */
import { describe, it, expect } from "vitest";
import { once } from "node:events";
import { RACE_WIDTH, expectOneWinner, race } from "../support/race.js";
import { eraseConcernsOf } from "../../src/store/concern-tickets.js";
import type { ConcernActionResult } from "../../src/features/concerns/port.js";
import { readFacts } from "../../src/features/concerns/transition.js";
import { foldTicket } from "../../src/features/concerns/ticket-state.js";
import { QUEUES } from "../../src/jobs/queues.js";
import { startConcernWorker } from "../../src/jobs/concern-clocks.js";
import type { Who } from "./support/concern-fixture.js";
import { useConcernHarness } from "./support/concern-harness.js";

const hn = (local: string) => new Date(`${local}+07:00`);
type Category = "study" | "bullying";

describe("contested concern changes are decided once (race kit, real FerretDB and BullMQ)", () => {
  const h = useConcernHarness("concern-race", { at: hn("2026-09-14T09:00:00") });
  const { clock, config } = h;
  const raise = async (who: "anMom" | "binhMom" = "anMom", category: Category = "study", eventId = `ev-${Math.random()}`) => {
    const studentId = who === "anMom" ? h.world.students.an : h.world.students.binh;
    const r = await h.service.create(await h.world.actor(who), { studentId, category, text: "Con bị bạn trêu chọc nhiều lần trong giờ ra chơi" }, eventId);
    if (r.status !== "created") throw new Error(r.status);
    return r.ticket;
  };
  const facts = (id: string) => readFacts({ models: h.db.models }, id);
  const kinds = async (id: string) => (await facts(id)).map((f) => f.kind);
  /** The message keys each person was sent about a ticket (the fake clock stands still: order not kept). */
  const told = async (who: Who, id: string) =>
    (await h.db.models.Delivery.find({ group: `pa-${id}`, identityId: h.world.identities[who] }).sort({ createdAt: 1 }).lean()).map((d) => JSON.parse(d.messages)[0].key as string);
  const count = (keys: string[], key: string) => keys.filter((k) => k === key).length;
  /** The stored summary is the fold of the facts. */
  const expectSummaryOfFacts = async (id: string) => {
    const s = foldTicket(await facts(id));
    const doc = (await h.C.Concern.findById(id).lean())!;
    expect({ status: doc.status, cycle: doc.cycle, escalations: doc.escalations, reopens: doc.reopens, version: doc.version })
      .toEqual({ status: s.status, cycle: s.cycle, escalations: s.escalations, reopens: s.reopens, version: s.version });
    return s;
  };

  it("'Đã giải quyết' pressed as the first-response clock escalates: one resolution, at most one escalation, one story for guardian and principal", async () => {
    for (let round = 0; round < 3; round++) {
      clock.set(hn("2026-09-14T09:00:00"));
      const t = await raise();
      clock.set(hn("2026-09-14T17:00:00"));
      const teacher = await h.world.actor("teacher");
      const job = { concernId: t.id, kind: "first-response" as const, cycle: 1 };
      const results = await race<ConcernActionResult | string>(RACE_WIDTH, (i) => (i % 2 ? h.service.resolve(teacher, t.id) : h.service.runClock(job)));
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
      await h.service.runClock(job);
      expect(await kinds(t.id)).toEqual(k);
    }
  });

  it("the teacher's 'Chuyển Ban giám hiệu' against 'Đã giải quyết': resolved once, escalated at most once, and the principal is told only what happened", async () => {
    const t = await raise();
    const teacher = await h.world.actor("teacher");
    const results = await race(RACE_WIDTH, (i) => (i % 2 ? h.service.resolve(teacher, t.id) : h.service.escalate(teacher, t.id)));
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
    await h.service.escalate(await h.world.actor("teacher"), t.id);
    const principal = await h.world.actor("principal"), teacher = await h.world.actor("teacher");
    const results = await race(RACE_WIDTH, (i) => (i % 2 ? h.service.resolve(teacher, t.id) : h.service.handBack(principal, t.id)));
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
    const teacher = await h.world.actor("teacher"), mom = await h.world.actor("anMom");
    for (let round = 1; round <= 3; round++) {
      expect((await h.service.resolve(teacher, t.id)).status).toBe("ok");
      const results = await race(RACE_WIDTH, () => h.service.reopen(mom, t.id));
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
    expect(await eraseConcernsOf(h.db.models, h.C, h.world.identities.anMom)).toMatchObject({ concerns: 2 });
    expect((await raise("binhMom")).number).toBe("PA-0004");
    const results = await race(RACE_WIDTH, (i) => raise(i % 2 ? "anMom" : "binhMom"));
    const numbers = results.map((r) => ("number" in r ? r.number : String(r.error)));
    expect(numbers.sort()).toEqual(Array.from({ length: RACE_WIDTH }, (_, i) => `PA-${String(5 + i).padStart(4, "0")}`));
    // The erased tickets' number facts keep nothing about them.
    const placeholders = await h.db.models.Transition.find({ entity: `concern-numbers:${h.world.schoolId}`, _id: { $in: [`concern-numbers:${h.world.schoolId}#n2`, `concern-numbers:${h.world.schoolId}#n3`] } }).lean();
    expect(placeholders.map((p) => p.data)).toEqual(["{}", "{}"]);
  });

  it("Redis loses the clock jobs: reconcile rebuilds them from MongoDB and a bullying concern still escalates exactly once", async () => {
    const bullying = await raise("anMom", "bullying");
    const study = await raise("binhMom", "study");
    const jobIds = (id: string) => [`pclk-${id}-first-response-c1`, `pclk-${id}-resolution-c1`];
    // Wipe this test's own clock queue keys (never FLUSHALL: the server is shared).
    const prefix = `${config.redis.queuePrefix}:${QUEUES.concernClocks}:`;
    const wipe = async () => {
      const keys = await h.redis.keys(`${prefix}*`);
      if (keys.length > 0) await h.redis.del(...keys);
    };
    await wipe();
    expect(await h.queue().getJob(jobIds(bullying.id)[0]!)).toBeUndefined();
    // A summary its winner never finished writing is rebuilt from the facts on the way.
    await h.C.Concern.updateOne({ _id: study.id }, { $set: { version: 0, escalations: 5 } });
    expect(await h.service.reconcile()).toBe(4);
    expect(await expectSummaryOfFacts(study.id)).toMatchObject({ version: 1, escalations: 0 });
    expect(await h.service.reconcile()).toBe(0);
    for (const id of [...jobIds(bullying.id), ...jobIds(study.id)]) expect(await h.queue().getJob(id)).toBeTruthy();

    clock.set(hn("2026-09-14T17:00:00"));
    const w = startConcernWorker({ connection: h.workerRedis, prefix: config.redis.queuePrefix, runClock: h.service.runClock, runDigest: h.service.runDigest });
    h.closers.push(() => w.close());
    const done = once(w, "completed");
    await (await h.queue().getJob(jobIds(bullying.id)[0]!))!.promote();
    expect((await done)[1]).toBe("escalated");
    // Redis loses everything again: the escalated ticket needs no clock, the other keeps both.
    await wipe();
    expect(await h.service.reconcile()).toBe(2);
    expect(await h.service.runClock({ concernId: bullying.id, kind: "first-response", cycle: 1 })).toBe("escalated");
    expect(count(await kinds(bullying.id), "escalated")).toBe(1);
    expect(count(await told("principal", bullying.id), "concern-escalated-to-principal")).toBe(1);
    expect(count(await told("anMom", bullying.id), "concern-escalated-guardian")).toBe(1);
  });
});
