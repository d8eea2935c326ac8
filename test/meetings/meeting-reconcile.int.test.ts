/**
 * Redis loses its data (issue 8, item 8, the meetings' part): the reconciler rebuilds the
 * reminder jobs of upcoming published meetings from MongoDB, with the same versioned ids, and
 * the reminders still fire once. The test deletes only its own queue prefix's keys.
 */
import { describe, it, expect, beforeEach, afterEach } from "vitest";
import type { Redis } from "ioredis";
import { useMeetingWorld } from "./support/service-harness.js";
import { eventually } from "../support/eventually.js";
import { startReminderWorker } from "../../src/jobs/meeting-reminders.js";

describe("meeting reminders rebuilt from MongoDB after Redis lost them", () => {
  const { h, world } = useMeetingWorld("meet-reconcile");
  let workerRedis: Redis;
  const closers: (() => Promise<unknown>)[] = [];
  const jobIds = async (states: ("delayed" | "waiting" | "active" | "completed")[] = ["delayed", "waiting"]) => (await h.reminderQueue().getJobs(states)).map((j) => j.id).sort();

  beforeEach(async () => {
    workerRedis = await h.workerConnection();
  });
  afterEach(async () => {
    for (const c of closers.splice(0)) await c();
  });

  /** Deletes every key of this test's queue prefix (never FLUSHALL: other tests share the server). */
  const wipeOwnPrefix = async () => {
    let cursor = "0", n = 0;
    do {
      const [next, keys] = await h.redis.scan(cursor, "MATCH", `${h.config.redis.queuePrefix}:*`, "COUNT", 500);
      if (keys.length) n += await h.redis.del(...keys);
      cursor = next;
    } while (cursor !== "0");
    return n;
  };

  const create = async (eventId: string) => {
    const r = await h.service.create(await world.actor(world.identities.teacher), world.classMeeting(), eventId);
    if (r.status !== "published") throw new Error(r.status);
    return r.meeting.id;
  };

  it("rebuilds the jobs of the current version only, leaves cancelled meetings alone, and every reminder reaches each guardian once", async () => {
    const id = await create("ev-live");
    const teacher = await world.actor(world.identities.teacher);
    await h.service.reschedule(teacher, id, new Date("2026-09-20T12:30:00Z"));
    const gone = await create("ev-gone");
    await h.service.cancel(teacher, gone, "Trùng lịch");
    const before = await jobIds();
    expect(before).toEqual([`mrem-${id}-v2-d1-1900`, `mrem-${id}-v2-d3-1900`, `mrem-${id}-v2-m120`]);

    expect(await wipeOwnPrefix()).toBeGreaterThan(0);
    expect(await jobIds()).toEqual([]);
    expect(await h.service.reconcile()).toBe(3);
    expect(await jobIds()).toEqual(before);
    // Idempotent: a second pass (the reconciler runs every minute) adds nothing.
    await h.service.reconcile();
    expect(await jobIds()).toEqual(before);

    const worker = startReminderWorker({ connection: workerRedis, prefix: h.config.redis.queuePrefix, run: (job) => h.service.runReminder(job) });
    closers.push(() => worker.close());
    let done = 0;
    worker.on("completed", () => done++);
    for (const job of await h.reminderQueue().getJobs(["delayed"])) await job.promote();
    await eventually(() => done === 3, { message: "three reminders processed" });

    // After they fired, reconciling again re-adds nothing (the ids are taken), so nothing fires twice.
    await h.service.reconcile();
    expect(await jobIds()).toEqual([]);
    const sent = await h.db.models.Delivery.find({ group: `mrem-${id}-v2` }).lean();
    expect(sent).toHaveLength(9); // 3 rungs × (An's two guardians + Bình's mother)
    expect(new Set(sent.map((d) => d._id)).size).toBe(9);
    expect(await h.db.models.Delivery.countDocuments({ group: { $in: [`mrem-${id}-v1`, `mrem-${gone}-v1`] } })).toBe(0);
  });
});
