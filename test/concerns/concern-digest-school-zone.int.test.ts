/**
 * The morning digest at 07:00 in EACH school's own zone: a school in Hà Nội
 * (Asia/Ho_Chi_Minh) and one in Tokyo (two hours ahead) under a deployment in UTC. The digest
 * tick runs every 15 minutes (driven here on a fake clock); each school's teacher gets the
 * digest at the first tick at/after 07:00 local, once per local day, whatever the number of
 * concurrent ticks, retries and restarts. Real FerretDB, Redis and BullMQ.
 */
import { describe, it, expect, beforeEach } from "vitest";
import { once } from "node:events";
import { race, expectOneWinner, RACE_WIDTH } from "../support/race.js";
import { createDeliveryRepo } from "../../src/store/deliveries.js";
import { createOutbox } from "../../src/jobs/outbox.js";
import { scheduleConcernDigest, startConcernWorker, DIGEST_PATTERN, DIGEST_SCHEDULER_ID } from "../../src/jobs/concern-clocks.js";
import { seedConcernWorld, type ConcernWorld } from "./support/concern-fixture.js";
import { useConcernHarness } from "./support/concern-harness.js";

const MIN = 60_000;
/** Tuesday 15/09/2026 07:00 in Tokyo and in Hà Nội. */
const TOKYO_7 = new Date("2026-09-14T22:00:00Z"), HANOI_7 = new Date("2026-09-15T00:00:00Z");

describe("the concern digest at 07:00 in each school's own zone (real FerretDB, Redis, BullMQ)", () => {
  /** Monday 14/09/2026 09:00 in Hà Nội, 11:00 in Tokyo; the deployment in UTC. */
  const h = useConcernHarness("concern-digest-tz", { at: new Date("2026-09-14T02:00:00Z"), timeZone: "UTC", seed: false });
  const { clock, config } = h;
  let hanoi: ConcernWorld, tokyo: ConcernWorld;
  const tickets: Record<"hanoi" | "tokyo", string> = { hanoi: "", tokyo: "" };
  const outbox = () => createOutbox(h.queues.outbox, createDeliveryRepo(h.db.models), () => clock.now());
  const digests = () => h.db.models.Delivery.find({ group: /^pa-digest-/ }).sort({ createdAt: 1 }).lean();

  beforeEach(async () => {
    hanoi = await seedConcernWorld(h.db.models, { account: "bot" });
    tokyo = await seedConcernWorld(h.db.models, { account: "bot", userIds: { teacher: "8001", otherTeacher: "8002", principal: "8003", anMom: "8101", binhMom: "8201" } });
    await h.db.models.School.updateOne({ _id: hanoi.schoolId }, { $set: { timeZone: "Asia/Ho_Chi_Minh" } });
    await h.db.models.School.updateOne({ _id: tokyo.schoolId }, { $set: { timeZone: "Asia/Tokyo" } });
    for (const [name, world] of [["hanoi", hanoi], ["tokyo", tokyo]] as const) {
      const r = await h.service.create(await world.actor("anMom"), { studentId: world.students.an, category: "study", text: "Con bị điểm kém môn Toán" }, `ev-${name}`);
      if (r.status !== "created") throw new Error(r.status);
      tickets[name] = r.ticket.number;
    }
  });

  it("ticking every 15 minutes through the night, Tokyo's teacher gets it at 07:00 Tokyo and Hà Nội's at 07:00 Hà Nội, each once", async () => {
    const firstSeen = new Map<string, Date>();
    // Monday 20:00 UTC (Tokyo 05:00 Tuesday) to Tuesday 06:00 UTC (Hà Nội 13:00).
    for (let at = new Date("2026-09-14T20:00:00Z").getTime(); at <= new Date("2026-09-15T06:00:00Z").getTime(); at += 15 * MIN) {
      clock.set(new Date(at));
      await h.service.runDigest(`tick-${at}`);
      for (const d of await digests()) if (!firstSeen.has(d.identityId)) firstSeen.set(d.identityId, clock.now());
    }
    expect(firstSeen.get(tokyo.identities.teacher)).toEqual(TOKYO_7);
    expect(firstSeen.get(hanoi.identities.teacher)).toEqual(HANOI_7);
    const all = await digests();
    expect(all.map((d) => d.identityId).sort()).toEqual([hanoi.identities.teacher, tokyo.identities.teacher].sort());
    expect(all.every((d) => d.group === "pa-digest-2026-09-15")).toBe(true);
    // The content is as before: the teacher's open ticket with the pupil's name.
    expect(all.find((d) => d.identityId === tokyo.identities.teacher)!.messages).toContain(`${tickets.tokyo} — Nguyễn Văn An`);
    expect(all.find((d) => d.identityId === hanoi.identities.teacher)!.messages).toContain(`${tickets.hanoi} — Nguyễn Văn An`);
  });

  it("a holiday of the school's calendar is read in the school's zone: none for Tokyo on its Tuesday holiday, Hà Nội's as usual", async () => {
    await h.C.SchoolCalendar.create({ _id: tokyo.schoolId, holidays: ["2026-09-15"] });
    const sent = new Map<string, Date>();
    for (let at = new Date("2026-09-14T21:00:00Z").getTime(); at <= new Date("2026-09-16T03:00:00Z").getTime(); at += 15 * MIN) {
      clock.set(new Date(at));
      await h.service.runDigest(`tick-${at}`);
      for (const d of await digests()) if (!sent.has(String(d._id))) sent.set(String(d._id), clock.now());
    }
    // Tokyo's 07:00 Tuesday is Monday 22:00 UTC: its holiday still holds; its Wednesday digest comes at 07:00 Tokyo.
    expect([...sent.values()]).toEqual([HANOI_7, new Date("2026-09-15T22:00:00Z"), new Date("2026-09-16T00:00:00Z")]);
    expect((await digests()).map((d) => `${d.group} ${d.identityId}`).sort()).toEqual([
      `pa-digest-2026-09-15 ${hanoi.identities.teacher}`, `pa-digest-2026-09-16 ${hanoi.identities.teacher}`, `pa-digest-2026-09-16 ${tokyo.identities.teacher}`].sort());
  });

  it("no digest before 07:00, on Sunday, or after a long outage from 12:00 local on", async () => {
    clock.set(new Date(TOKYO_7.getTime() - 15 * MIN)); // Tokyo 06:45
    expect(await h.service.runDigest("early")).toBe(0);
    clock.set(new Date("2026-09-20T00:00:00Z")); // Sunday 07:00 Hà Nội, 09:00 Tokyo
    expect(await h.service.runDigest("sunday")).toBe(0);
    clock.set(new Date("2026-09-16T05:00:00Z")); // Wednesday 12:00 Hà Nội, 14:00 Tokyo: the first tick after an outage
    expect(await h.service.runDigest("late")).toBe(0);
    clock.set(new Date("2026-09-16T04:45:00Z")); // Wednesday 11:45 Hà Nội, 13:45 Tokyo: Hà Nội only
    expect(await h.service.runDigest("in-time")).toBe(1);
    expect((await digests()).map((d) => d.identityId)).toEqual([hanoi.identities.teacher]);
  });

  it(`${RACE_WIDTH} concurrent ticks at Tokyo's 07:00 send Tokyo's digest once`, async () => {
    clock.set(TOKYO_7);
    const results = await race(RACE_WIDTH, (i) => h.service.runDigest(`worker-${i}`));
    expectOneWinner(results, (n) => n === 1);
    expect((await digests()).map((d) => d.identityId)).toEqual([tokyo.identities.teacher]);
    expect(await h.db.models.Transition.countDocuments({ entity: `concern-digest-${tokyo.schoolId}` })).toBe(1);
  });

  it("a restarted worker's next tick and a retry of the job on the same local day send nothing more; a run that died after deciding is finished by its retry", async () => {
    clock.set(TOKYO_7);
    let w = startConcernWorker({ connection: h.workerRedis, prefix: config.redis.queuePrefix, runClock: h.service.runClock, runDigest: h.service.runDigest });
    const tick = async (id: string) => {
      const done = once(w, "completed", { signal: AbortSignal.timeout(20_000) });
      await h.queue().add("concern-digest", {}, { jobId: id });
      return (await done)[1] as number;
    };
    expect(await tick("tick-1")).toBe(1);
    await w.close();
    w = startConcernWorker({ connection: h.workerRedis, prefix: config.redis.queuePrefix, runClock: h.service.runClock, runDigest: h.service.runDigest });
    h.closers.push(() => w.close());
    clock.set(new Date(TOKYO_7.getTime() + 15 * MIN));
    expect(await tick("tick-2")).toBe(0);
    // The retry of tick-1 (same job id) repeats its sends: the outbox already holds them.
    expect(await h.service.runDigest("job-tick-1")).toBe(1);
    expect((await digests()).map((d) => d.identityId)).toEqual([tokyo.identities.teacher]);

    // Hà Nội's 07:00: a run decides, then dies before sending; another run sends nothing, its own retry sends.
    clock.set(HANOI_7);
    await h.db.models.Transition.collection.insertOne({ _id: `concern-digest-${hanoi.schoolId}#2026-09-15`, entity: `concern-digest-${hanoi.schoolId}`, kind: "concern-digest", actor: "job-dead", at: HANOI_7, data: "{}" } as never);
    expect(await h.service.runDigest("job-other")).toBe(0);
    expect(await h.service.runDigest("job-dead")).toBe(1);
    expect((await digests()).map((d) => d.identityId).sort()).toEqual([hanoi.identities.teacher, tokyo.identities.teacher].sort());
  });

  it("on the upgrade day a teacher who got the fleet-wide 07:00 digest gets no second one", async () => {
    await outbox().enqueueGroup("pa-digest-2026-09-15", [{ key: `pa-digest-2026-09-15-${hanoi.identities.teacher}`, recipient: { channel: "telegram", account: "bot", userId: "9001", chatId: "9001" }, messages: [] }]);
    clock.set(new Date(HANOI_7.getTime() + 3 * 60 * MIN)); // the upgraded fleet's first tick, 10:00 Hà Nội (12:00 Tokyo: past its window)
    expect(await h.service.runDigest("upgraded")).toBe(0);
    expect((await digests()).map((d) => d._id)).toEqual([`pa-digest-2026-09-15-${hanoi.identities.teacher}`]);
  });

  it("the digest scheduler keeps its id: declaring it replaces the former fleet-wide 07:00 cron and its pending job", async () => {
    await h.queue().upsertJobScheduler(DIGEST_SCHEDULER_ID, { pattern: "0 7 * * 1-6", tz: "Asia/Ho_Chi_Minh" }, { name: "concern-digest", data: {} });
    await scheduleConcernDigest(h.queue(), "Asia/Ho_Chi_Minh");
    const schedulers = await h.queue().getJobSchedulers();
    expect(schedulers).toHaveLength(1);
    expect(schedulers[0]).toMatchObject({ key: DIGEST_SCHEDULER_ID, pattern: DIGEST_PATTERN });
    const pending = (await h.queue().getJobs(["delayed", "wait", "prioritized"])).filter((j) => j.name === "concern-digest"); // beside the tickets' clocks
    expect(pending).toHaveLength(1);
    expect(pending[0]!.timestamp + (pending[0]!.opts.delay ?? 0)).toBe(schedulers[0]!.next);
    expect(schedulers[0]!.next! % (15 * MIN)).toBe(0);
  });
});
