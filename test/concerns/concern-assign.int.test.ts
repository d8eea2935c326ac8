import { describe, it, expect, beforeEach, afterEach } from "vitest";
import { once } from "node:events";
import type { Redis } from "ioredis";
import { testConfig } from "../support/test-config.js";
import { dropDatabase } from "../support/app-harness.js";
import { FakeClock } from "../support/fakes.js";
import { openDatabase, type Database } from "../../src/store/mongo.js";
import { registerConcernModels, ensureConcernIndexes, type ConcernModels } from "../../src/store/concern-models.js";
import { createConcerns } from "../../src/features/concerns/index.js";
import { createLinking } from "../../src/features/linking/index.js";
import { createSchoolAdmin } from "../../src/features/school/admin.js";
import { rolesOf } from "../../src/store/directory.js";
import { connectRedis } from "../../src/jobs/redis.js";
import { createQueues, type Queues } from "../../src/jobs/runtime.js";
import { QUEUES } from "../../src/jobs/queues.js";
import { ASSIGN_SCHEDULER_ID, createConcernClockScheduler, scheduleConcernAssign, startConcernWorker } from "../../src/jobs/concern-clocks.js";
import { seedConcernWorld, type ConcernWorld } from "./support/concern-fixture.js";
import { RecordingOutbox } from "./support/recording-outbox.js";

const hn = (local: string) => new Date(`${local}+07:00`);

describe("concerns raised before the class's teacher linked reach the teacher who links", () => {
  const config = testConfig("concern-assign");
  const clock = new FakeClock(hn("2026-09-14T09:00:00"));
  let db: Database, redis: Redis, workerRedis: Redis, queues: Queues, C: ConcernModels, outbox: RecordingOutbox, world: ConcernWorld;
  let service: ReturnType<typeof createConcerns>;
  const closers: (() => Promise<unknown>)[] = [];
  const queue = () => queues.get(QUEUES.concernClocks);
  const NEW_TEACHER = "9501";
  const raise = async (category: "study" | "teacher" = "study") => {
    const r = await service.create(await world.actor("anMom"), { studentId: world.students.an, category, text: "Con bị điểm kém môn Toán mà không rõ lý do" }, `ev-${Math.random()}`);
    if (r.status !== "created") throw new Error(r.status);
    return r;
  };
  /** The 6A1 teacher links with a real staff code, as `/start <code>` → consent does. */
  const linkNewTeacher = async () => {
    const staff = await db.models.Staff.create({ schoolId: world.schoolId, fullName: "Lê Thị Mai", title: "Cô" });
    const row = await createSchoolAdmin(db.models).issueStaffCode({ schoolId: world.schoolId, staffId: staff._id, role: "homeroom-teacher", classGroupId: world.classId, ttlDays: 30 });
    const r = await createLinking(db.models, clock).redeem({ code: row.code, address: { channel: "telegram", account: "bot", userId: NEW_TEACHER, chatId: NEW_TEACHER },
      displayName: "Mai", locale: "vi", consentVersion: "test", eventId: "ev-link" });
    expect(r.status).toBe("linked");
  };

  beforeEach(async () => {
    clock.set(hn("2026-09-14T09:00:00"));
    db = await openDatabase(config.mongo.uri, config.mongo.db);
    redis = await connectRedis(config.redis.url);
    workerRedis = await connectRedis(config.redis.url, true);
    queues = createQueues(redis, config.redis.queuePrefix);
    C = registerConcernModels(db.conn);
    await ensureConcernIndexes(C);
    outbox = new RecordingOutbox();
    service = createConcerns({ models: db.models, concerns: C, clock, outbox, scheduler: createConcernClockScheduler(queue(), clock) });
    world = await seedConcernWorld(db.models, { account: "bot" });
    // 6A1 has no homeroom teacher in the bot yet.
    await db.models.StaffRole.deleteMany({ identityId: world.identities.teacher });
  });

  afterEach(async () => {
    for (const c of closers.splice(0)) await c();
    await queue().obliterate({ force: true });
    await queues.close();
    await redis.quit();
    await workerRedis.quit();
    await db.close();
    await dropDatabase(config.mongo.uri, config.mongo.db);
  });

  it("delivers the waiting ticket, with a notice, to the teacher who links, once", async () => {
    const r = await raise();
    expect(r.unassigned).toBe(true);
    expect(await service.runAssign()).toBe(0);
    expect(outbox.items.filter((i) => i.recipient.userId !== "9101")).toEqual([]);

    await linkNewTeacher();
    expect(await service.runAssign()).toBe(1);
    const [late] = outbox.to(NEW_TEACHER);
    expect(late!.messages.map((m) => m.key)).toEqual(["concern-assigned-late", "concern-to-staff"]);
    expect(late!.messages[0]!.args).toMatchObject({ number: r.ticket.number });
    expect(late!.messages[1]!.args).toMatchObject({ student: "Nguyễn Văn An", className: "6A1" });
    // With the teacher's buttons under it.
    expect(late!.messages[1]!.buttons!.flat().map((b) => b.payload)).toContain(`pa-ack-${r.ticket.id}`);
    expect(late!.notBefore).toBeUndefined();
    // Again: nothing more.
    expect(await service.runAssign()).toBe(0);
    expect(outbox.to(NEW_TEACHER)).toHaveLength(1);
    // The new teacher can act on it.
    const identityId = (await db.models.ChannelIdentity.findOne({ externalUserId: NEW_TEACHER }).lean())!._id;
    const teacher = { identityId, roles: await rolesOf(db.models, identityId) };
    expect((await service.acknowledge(teacher, r.ticket.id)).status).toBe("ok");
  });

  it("a teacher linking at 22:00 receives the waiting ticket when their quiet hours end", async () => {
    await raise();
    clock.set(hn("2026-09-14T22:00:00"));
    await linkNewTeacher();
    expect(await service.runAssign()).toBe(1);
    expect(outbox.to(NEW_TEACHER)[0]!.notBefore).toEqual(hn("2026-09-15T06:30:00"));
  });

  it("leaves alone tickets already escalated to Ban giám hiệu (the principal has them) and those about a teacher", async () => {
    const escalated = await raise();
    const aboutTeacher = await raise("teacher");
    clock.set(hn("2026-09-14T17:00:00"));
    expect(await service.runClock({ concernId: escalated.ticket.id, kind: "first-response", cycle: 1 })).toBe("escalated");
    await linkNewTeacher();
    expect(await service.runAssign()).toBe(0);
    expect(outbox.to(NEW_TEACHER)).toEqual([]);
    // Handed back by the principal, the teacher who is now linked receives it that way.
    expect((await service.handBack(await world.actor("principal"), escalated.ticket.id)).status).toBe("ok");
    expect(outbox.keysTo(NEW_TEACHER)).toEqual(["concern-handed-back-teacher"]);
    expect(await service.runAssign()).toBe(0);
    expect(aboutTeacher.unassigned).toBe(false);
  });

  it("runs every minute as a job scheduler on the clock queue, and its job delivers", async () => {
    await raise();
    await linkNewTeacher();
    await scheduleConcernAssign(queue(), "Asia/Ho_Chi_Minh");
    expect(await queue().getJobScheduler(ASSIGN_SCHEDULER_ID)).toMatchObject({ pattern: "* * * * *", tz: "Asia/Ho_Chi_Minh" });
    const w = startConcernWorker({ connection: workerRedis, prefix: config.redis.queuePrefix, runClock: service.runClock, runDigest: service.runDigest, runAssign: service.runAssign });
    closers.push(() => w.close());
    const done = once(w, "completed");
    const next = (await queue().getJobs(["delayed"])).find((j) => j.name === "concern-assign")!;
    await next.promote();
    const [job, delivered] = await done;
    expect(job.name).toBe("concern-assign");
    expect(delivered).toBe(1);
    expect(outbox.keysTo(NEW_TEACHER)).toEqual(["concern-assigned-late", "concern-to-staff"]);
  });
});
