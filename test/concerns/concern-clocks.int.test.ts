import { describe, it, expect } from "vitest";
import { once } from "node:events";
import { createConcerns } from "../../src/features/concerns/index.js";
import { eraseConcernsOf } from "../../src/store/concern-tickets.js";
import { ERASED_MESSAGES } from "../../src/store/deliveries.js";
import { readFacts } from "../../src/features/concerns/transition.js";
import { createDeliveryRepo } from "../../src/store/deliveries.js";
import { createOutbox } from "../../src/jobs/outbox.js";
import { createConcernClockScheduler, scheduleConcernDigest, startConcernWorker, DIGEST_SCHEDULER_ID } from "../../src/jobs/concern-clocks.js";
import type { ConcernClockJob } from "../../src/features/concerns/port.js";
import type { ConcernWorld } from "./support/concern-fixture.js";
import { useConcernHarness } from "./support/concern-harness.js";

const hn = (local: string) => new Date(`${local}+07:00`);

describe("concern service and clocks on real FerretDB and BullMQ", () => {
  // Monday 14/09/2026 09:00 in Hà Nội.
  const h = useConcernHarness("concern-clk", { at: hn("2026-09-14T09:00:00") });
  const { clock, config } = h;
  const worker = (extra: Partial<Parameters<typeof startConcernWorker>[0]> = {}) => {
    const w = startConcernWorker({ connection: h.workerRedis, prefix: config.redis.queuePrefix, runClock: h.service.runClock, runDigest: h.service.runDigest, ...extra });
    h.closers.push(() => w.close());
    return w;
  };
  const raise = async (category: "study" | "bullying" | "teacher" = "study", eventId = `ev-${Math.random()}`) => {
    const r = await h.service.create(await h.world.actor("anMom"), { studentId: h.world.students.an, category, text: "Con bị điểm kém môn Toán mà không rõ lý do" }, eventId);
    if (r.status !== "created") throw new Error(r.status);
    return r;
  };
  const deliveriesTo = (who: keyof ConcernWorld["identities"], ticketId: string) =>
    h.db.models.Delivery.find({ group: `pa-${ticketId}`, identityId: h.world.identities[who] }).sort({ createdAt: 1 }).lean();
  const facts = (ticketId: string) => readFacts({ models: h.db.models }, ticketId);
  const escalations = async (ticketId: string) => (await facts(ticketId)).filter((f) => f.kind === "escalated" || f.data.to === "principal").length;

  it("numbers tickets per school without collisions, even when raised at the same moment", async () => {
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => raise("study", `ev-par-${i}`)));
    expect(results.map((r) => r.ticket.number).sort()).toEqual(["PA-0001", "PA-0002", "PA-0003", "PA-0004", "PA-0005", "PA-0006"]);
    // A retried create (same inbound event) finds the same ticket.
    expect((await raise("study", "ev-par-0")).ticket.id).toBe(results[0]!.ticket.id);
    expect(await h.C.Concern.countDocuments({})).toBe(6);
  });

  it("schedules both clocks in school hours, and the teacher sees the child's name and class but never the guardian's name or phone", async () => {
    const r = await raise();
    expect(r.respondBy).toEqual(hn("2026-09-14T17:00:00"));
    const jobs = await h.queue().getJobs(["delayed"]);
    expect(jobs.map((j) => j.id).sort()).toEqual([`pclk-${r.ticket.id}-first-response-c1`, `pclk-${r.ticket.id}-resolution-c1`]);
    const first = jobs.find((j) => j.id!.includes("first-response"))!;
    expect(first.opts.delay).toBe(8 * 3_600_000);
    expect(first.data).toEqual({ concernId: r.ticket.id, kind: "first-response", cycle: 1 });
    const [toTeacher] = await deliveriesTo("teacher", r.ticket.id);
    expect(toTeacher!.messages).toContain("Nguyễn Văn An");
    expect(toTeacher!.messages).toContain("6A1");
    expect(toTeacher!.messages).not.toMatch(/Hoa|0912345678/);
    expect(await deliveriesTo("principal", r.ticket.id)).toHaveLength(0);
    expect(await deliveriesTo("otherTeacher", r.ticket.id)).toHaveLength(0);
  });

  it("a non-urgent concern at 22:00 reaches the teacher when quiet hours end; a bullying report goes to teacher and principal at once", async () => {
    clock.set(hn("2026-09-14T22:00:00"));
    const calm = await raise("study");
    expect(calm.deliverAt).toEqual(hn("2026-09-15T06:30:00"));
    const urgent = await raise("bullying");
    expect(urgent.deliverAt).toBeUndefined();
    expect(urgent.ticket.urgent).toBe(true);
    const delayed = await h.queues.outbox.getJobs(["delayed"]);
    expect(delayed.map((j) => j.id)).toEqual([`d-pa-${calm.ticket.id}-new-t-${h.world.identities.teacher}`]);
    expect(delayed[0]!.opts.delay).toBe(8.5 * 3_600_000);
    expect(await deliveriesTo("teacher", urgent.ticket.id)).toHaveLength(1);
    expect(await deliveriesTo("principal", urgent.ticket.id)).toHaveLength(1);
    expect((await h.queues.outbox.getJobs(["waiting", "prioritized"])).map((j) => j.id).sort()).toEqual(
      [`d-pa-${urgent.ticket.id}-new-p-${h.world.identities.principal}`, `d-pa-${urgent.ticket.id}-new-t-${h.world.identities.teacher}`].sort());
  });

  it("acknowledged just before the deadline: the first-response clock fires and does nothing", async () => {
    const r = await raise();
    clock.set(hn("2026-09-14T16:59:00"));
    expect((await h.service.acknowledge(await h.world.actor("teacher"), r.ticket.id)).status).toBe("ok");
    const w = worker();
    const done = once(w, "completed");
    clock.set(hn("2026-09-14T17:00:00"));
    await (await h.queue().getJob(`pclk-${r.ticket.id}-first-response-c1`))!.promote();
    const [, outcome] = await done;
    expect(outcome).toBe("skipped");
    expect(await escalations(r.ticket.id)).toBe(0);
    expect(await deliveriesTo("principal", r.ticket.id)).toHaveLength(0);
    expect((await h.service.view(await h.world.actor("anMom"), r.ticket.id))!.status).toBe("acknowledged");
  });

  it("not acknowledged by the deadline: the ticket goes to the principal and the guardian is told", async () => {
    const r = await raise();
    const w = worker();
    const done = once(w, "completed");
    clock.set(hn("2026-09-14T17:00:00"));
    await (await h.queue().getJob(`pclk-${r.ticket.id}-first-response-c1`))!.promote();
    expect((await done)[1]).toBe("escalated");
    expect(await escalations(r.ticket.id)).toBe(1);
    const toPrincipal = await deliveriesTo("principal", r.ticket.id);
    expect(toPrincipal).toHaveLength(1);
    expect(toPrincipal[0]!.messages).toContain("concern-escalated-to-principal");
    expect((await deliveriesTo("anMom", r.ticket.id)).map((d) => JSON.parse(d.messages)[0].key)).toEqual(["concern-escalated-guardian"]);
    const principal = await h.world.actor("principal");
    expect((await h.service.view(principal, r.ticket.id))!.status).toBe("escalated");
    // The principal hands it back; the clocks of the old cycle then do nothing.
    expect((await h.service.handBack(principal, r.ticket.id)).status).toBe("ok");
    expect(await h.service.runClock({ concernId: r.ticket.id, kind: "resolution", cycle: 1 })).toBe("skipped");
    expect(await h.queue().getJob(`pclk-${r.ticket.id}-resolution-c2`)).toBeTruthy();
  });

  it("a worker dying around the deadline still escalates exactly once", async () => {
    const r = await raise();
    clock.set(hn("2026-09-14T17:00:00"));
    let ranOnce!: () => void;
    const crashed = new Promise<void>((resolve) => (ranOnce = resolve));
    // The first worker escalates, then hangs as if its process died before completing the job.
    const doomed = startConcernWorker({
      connection: h.workerRedis, prefix: config.redis.queuePrefix, lockDuration: 1_000, stalledInterval: 500, runDigest: h.service.runDigest,
      runClock: async (job: ConcernClockJob) => { await h.service.runClock(job); ranOnce(); return new Promise<never>(() => {}); },
    });
    await (await h.queue().getJob(`pclk-${r.ticket.id}-first-response-c1`))!.promote();
    await crashed;
    await doomed.close(true);

    const survivor = worker({ lockDuration: 1_000, stalledInterval: 500 });
    const [job, outcome] = await once(survivor, "completed", { signal: AbortSignal.timeout(20_000) });
    expect(job.id).toBe(`pclk-${r.ticket.id}-first-response-c1`);
    // The re-run finds its own escalation fact and only repeats its (deduplicated) messages.
    expect(outcome).toBe("escalated");
    expect(await escalations(r.ticket.id)).toBe(1);
    expect(await deliveriesTo("principal", r.ticket.id)).toHaveLength(1);
    expect(await deliveriesTo("anMom", r.ticket.id)).toHaveLength(1);
  });

  it("authority: other classes, a class no longer taught, and concerns about a teacher are not visible to that teacher", async () => {
    const r = await raise();
    expect(await h.service.view(await h.world.actor("otherTeacher"), r.ticket.id)).toBeUndefined();
    expect((await h.service.acknowledge(await h.world.actor("otherTeacher"), r.ticket.id)).status).toBe("not-found");
    expect(await h.service.view(await h.world.actor("binhMom"), r.ticket.id)).toBeUndefined();
    // The principal sees a non-escalated ordinary ticket only in the figures.
    expect(await h.service.view(await h.world.actor("principal"), r.ticket.id)).toBeUndefined();
    const aboutTeacher = await raise("teacher");
    expect(await h.service.view(await h.world.actor("teacher"), aboutTeacher.ticket.id)).toBeUndefined();
    expect(await deliveriesTo("teacher", aboutTeacher.ticket.id)).toHaveLength(0);
    expect(await deliveriesTo("principal", aboutTeacher.ticket.id)).toHaveLength(1);
    expect((await h.service.listForStaff(await h.world.actor("teacher"))).map((t) => t.id)).toEqual([r.ticket.id]);
    await h.db.models.StaffRole.deleteMany({ identityId: h.world.identities.teacher });
    expect(await h.service.view(await h.world.actor("teacher"), r.ticket.id)).toBeUndefined();
    expect((await h.service.addMessage(await h.world.actor("teacher"), r.ticket.id, "Cô đã xem", "ev-late")).status).toBe("not-found");
  });

  it("closing: resolve, rate, no more messages; reopen twice to the teacher, the third time to the principal, never after 7 days", async () => {
    const r = await raise();
    const teacher = await h.world.actor("teacher"), mom = await h.world.actor("anMom");
    const id = r.ticket.id;
    expect((await h.service.addMessage(teacher, id, "Cô sẽ kiểm tra lại bài.", "ev-t1")).status).toBe("ok");
    expect((await h.service.addMessage(mom, id, "Cảm ơn cô ạ.", "ev-g1")).status).toBe("ok");
    expect((await h.service.addMessage(mom, id, "Cảm ơn cô ạ.", "ev-g1")).status).toBe("ok"); // redelivered: not relayed twice
    expect(await deliveriesTo("teacher", id)).toHaveLength(2);
    for (let round = 1; round <= 2; round++) {
      expect((await h.service.resolve(teacher, id)).status).toBe("ok");
      expect((await h.service.rate(mom, id, 4)).status).toBe("ok");
      expect((await h.service.addMessage(mom, id, "Còn một việc", `ev-after-${round}`)).status).toBe("closed");
      expect(await h.service.reopen(mom, id)).toMatchObject({ status: "reopened", to: "teacher" });
    }
    // The third reopen goes to the principal.
    await h.service.resolve(teacher, id);
    expect(await h.service.reopen(mom, id)).toMatchObject({ status: "reopened", to: "principal" });
    expect(await escalations(id)).toBe(1);
    await h.service.resolve(await h.world.actor("principal"), id);
    clock.advance(8 * 86_400_000);
    expect(await h.service.reopen(mom, id)).toEqual({ status: "too-late" });
    expect((await facts(id)).filter((f) => f.kind === "rated")).toHaveLength(2);
    expect((await facts(id)).filter((f) => f.kind === "reopened")).toHaveLength(3);
  });

  it("principal figures count tickets by category, median first response and escalations", async () => {
    const a = await raise("study");
    await raise("bullying");
    clock.advance(30 * 60_000);
    await h.service.acknowledge(await h.world.actor("teacher"), a.ticket.id);
    await h.service.escalate(await h.world.actor("teacher"), a.ticket.id);
    const s = (await h.service.stats(await h.world.actor("principal")))!;
    expect(s).toMatchObject({ total: 2, open: 2, escalations: 1, medianFirstResponseMinutes: 30 });
    expect(s.byCategory).toEqual({ study: 1, bullying: 1 });
    expect(await h.service.stats(await h.world.actor("teacher"))).toBeUndefined();
  });
  it("the 07:00 digest lists each teacher's open tickets once per school day, and is declared as a quarter-hour job scheduler", async () => {
    const r = await raise();
    clock.set(hn("2026-09-15T07:00:00"));
    expect(await h.service.runDigest()).toBe(1);
    expect(await h.service.runDigest()).toBe(0);
    const digests = await h.db.models.Delivery.find({ group: "pa-digest-2026-09-15" }).lean();
    expect(digests.map((d) => d.identityId)).toEqual([h.world.identities.teacher]);
    expect(digests[0]!.messages).toContain(`${r.ticket.number} — Nguyễn Văn An`);
    clock.set(hn("2026-09-20T07:00:00")); // Sunday
    expect(await h.service.runDigest()).toBe(0);
    await scheduleConcernDigest(h.queue(), "Asia/Ho_Chi_Minh");
    const scheduler = await h.queue().getJobScheduler(DIGEST_SCHEDULER_ID);
    expect(scheduler).toMatchObject({ pattern: "*/15 * * * *", tz: "Asia/Ho_Chi_Minh" });
  });

  it("logs carry ids only, never the text of a concern or a message", async () => {
    const lines: string[] = [];
    const logger = { info: (o: object, m: string) => lines.push(JSON.stringify(o) + m), warn: (o: object, m: string) => lines.push(JSON.stringify(o) + m) };
    h.service = createConcerns({
      models: h.db.models, concerns: h.C, clock, logger,
      outbox: createOutbox(h.queues.outbox, createDeliveryRepo(h.db.models), () => clock.now()),
      scheduler: createConcernClockScheduler(h.queue(), clock),
    });
    const r = await raise();
    await h.service.addMessage(await h.world.actor("anMom"), r.ticket.id, "Bí mật gia đình", "ev-secret");
    const w = worker({ logger });
    const done = once(w, "completed");
    await (await h.queue().getJob(`pclk-${r.ticket.id}-first-response-c1`))!.promote();
    await done;
    expect(lines.length).toBeGreaterThanOrEqual(3);
    expect(lines.join("\n")).toContain(r.ticket.id);
    expect(lines.join("\n")).not.toMatch(/điểm kém|Bí mật|Nguyễn Văn An/);
  });
  it("the resolution clock escalates an acknowledged ticket that is still open after three school days", async () => {
    const r = await raise();
    await h.service.acknowledge(await h.world.actor("teacher"), r.ticket.id);
    const job = (await h.queue().getJob(`pclk-${r.ticket.id}-resolution-c1`))!;
    // Monday 09:00 + 3 school days of 10 hours = Thursday 09:00.
    expect(job.opts.delay).toBe(hn("2026-09-17T09:00:00").getTime() - hn("2026-09-14T09:00:00").getTime());
    clock.set(hn("2026-09-17T09:00:00"));
    expect(await h.service.runClock({ concernId: r.ticket.id, kind: "first-response", cycle: 1 })).toBe("skipped");
    expect(await h.service.runClock({ concernId: r.ticket.id, kind: "resolution", cycle: 1 })).toBe("escalated");
    expect(await h.service.runClock({ concernId: r.ticket.id, kind: "resolution", cycle: 1 })).toBe("escalated");
    expect(await escalations(r.ticket.id)).toBe(1);
    const toPrincipal = await deliveriesTo("principal", r.ticket.id);
    expect(toPrincipal).toHaveLength(1);
    expect(JSON.parse(toPrincipal[0]!.messages)[0].args.reason).toBe("resolution");
  });

  it("/xoadulieu erases the guardian's tickets and their messages", async () => {
    const r = await raise();
    await h.service.addMessage(await h.world.actor("teacher"), r.ticket.id, "Cô đã nhận", "ev-t");
    // Both deliveries of the ticket's group (the h.outbox copies of what was written).
    expect(await eraseConcernsOf(h.db.models, h.C, h.world.identities.anMom)).toEqual({ concerns: 1, concernMessages: 2, concernDeliveriesRedacted: 2 });
    expect(await h.C.Concern.countDocuments({})).toBe(0);
    const left = await h.db.models.Delivery.find({ group: `pa-${r.ticket.id}` }).lean();
    expect(left.length).toBeGreaterThan(0);
    expect(left.every((d) => d.messages === ERASED_MESSAGES)).toBe(true);
    expect(await facts(r.ticket.id)).toEqual([]);
  });
  it("a vice-principal the school designates receives escalations instead of the principal", async () => {
    const vp = await h.db.models.ChannelIdentity.create({ channel: "telegram", account: "bot", externalUserId: "9004", chatId: "9004", locale: "vi" });
    const staff = await h.db.models.Staff.create({ schoolId: h.world.schoolId, fullName: "Phạm Thu Hằng", title: "Cô" });
    await h.db.models.StaffRole.create({ identityId: vp._id, staffId: staff._id, schoolId: h.world.schoolId, role: "vice-principal" });
    await h.C.SchoolCalendar.create({ _id: h.world.schoolId, escalationIdentityId: vp._id });
    const r = await raise();
    clock.set(hn("2026-09-14T17:00:00"));
    expect(await h.service.runClock({ concernId: r.ticket.id, kind: "first-response", cycle: 1 })).toBe("escalated");
    expect(await deliveriesTo("principal", r.ticket.id)).toHaveLength(0);
    expect(await h.db.models.Delivery.countDocuments({ group: `pa-${r.ticket.id}`, identityId: vp._id })).toBe(1);
  });
});
