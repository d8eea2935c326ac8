/**
 * A concern's clock job whose attempts all failed (the database unreachable at its time) sits
 * in BullMQ's failed set under its deterministic id. The reconciler used to see "the job
 * exists" and leave it there: the ticket was never escalated. It now runs it again, and the
 * late run escalates a ticket nobody answered.
 */
import { describe, it, expect } from "vitest";
import { UnrecoverableError, Worker } from "bullmq";
import { eventually } from "../support/eventually.js";
import { QUEUES } from "../../src/jobs/queues.js";
import { concernClockJobId, startConcernWorker } from "../../src/jobs/concern-clocks.js";
import { useConcernHarness } from "./support/concern-harness.js";

const hn = (local: string) => new Date(`${local}+07:00`);

describe("a concern clock whose every attempt failed", () => {
  const h = useConcernHarness("concern-clock-failed", { at: hn("2026-09-14T10:00:00"), outbox: "recording", per: "all" }); // Monday
  const { clock, config } = h;

  it("is run again by the reconciler, and escalates the ticket nobody answered", async () => {
    const r = await h.service.create(await h.world.actor("anMom"), { studentId: h.world.students.an, category: "study", text: "Con bị điểm kém môn Toán mà không rõ lý do" }, "ev-failed-clock");
    if (r.status !== "created") throw new Error(r.status);
    const id = concernClockJobId({ concernId: r.ticket.id, kind: "first-response", cycle: 1 });
    const job = (await h.queue().getJob(id))!;
    expect(await job.getState()).toBe("delayed");

    // Its time comes while the database is down: it is taken and gives up for good (as its
    // fifth attempt would), through a worker that fetches jobs by hand (no retry left).
    await job.promote();
    const manual = new Worker(QUEUES.concernClocks, null, { connection: h.workerRedis, prefix: config.redis.queuePrefix });
    const taken = (await manual.getNextJob("tok"))!;
    expect(taken.id).toBe(id);
    await taken.moveToFailed(new UnrecoverableError("database unreachable"), "tok");
    await manual.close();
    expect(await (await h.queue().getJob(id))!.getState()).toBe("failed");

    // The reconciler (every minute, fleet-wide) runs it again, once.
    expect(await h.service.reconcile()).toBeGreaterThanOrEqual(1);
    expect(await (await h.queue().getJob(id))!.getState()).toBe("waiting");
    expect(await h.service.reconcile()).toBe(0);

    // Nobody answered by then: the late run escalates to Ban giám hiệu.
    clock.set(hn("2026-09-14T17:30:00"));
    const worker = startConcernWorker({ connection: h.workerRedis, prefix: config.redis.queuePrefix,
      runClock: (j) => h.service.runClock(j), runDigest: () => h.service.runDigest() });
    try {
      await eventually(async () => expect(await (await h.queue().getJob(id))!.getState()).toBe("completed"));
      expect((await h.queue().getJob(id))!.returnvalue).toBe("escalated");
      expect((await h.C.Concern.findById(r.ticket.id).lean())!.status).toBe("escalated");
      expect(h.outbox.keysTo("9003")).toContain("concern-escalated-to-principal");
      expect(h.outbox.keysTo("9101")).toContain("concern-escalated-guardian");
    } finally {
      await worker.close();
    }
  });
});
