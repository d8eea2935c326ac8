import { describe, it, expect, beforeEach } from "vitest";
import { once } from "node:events";
import { createLinking } from "../../src/features/linking/index.js";
import { createSchoolAdmin } from "../../src/features/school/admin.js";
import { rolesOf } from "../../src/store/directory.js";
import { ASSIGN_SCHEDULER_ID, scheduleConcernAssign, startConcernWorker } from "../../src/jobs/concern-clocks.js";
import { useConcernHarness } from "./support/concern-harness.js";

const hn = (local: string) => new Date(`${local}+07:00`);

describe("concerns raised before the class's teacher linked reach the teacher who links", () => {
  const h = useConcernHarness("concern-assign", { at: hn("2026-09-14T09:00:00"), outbox: "recording" });
  const { clock, config } = h;
  const NEW_TEACHER = "9501";
  const raise = async (category: "study" | "teacher" = "study") => {
    const r = await h.service.create(await h.world.actor("anMom"), { studentId: h.world.students.an, category, text: "Con bị điểm kém môn Toán mà không rõ lý do" }, `ev-${Math.random()}`);
    if (r.status !== "created") throw new Error(r.status);
    return r;
  };
  /** The 6A1 teacher links with a real staff code, as `/start <code>` → consent does. */
  const linkNewTeacher = async () => {
    const staff = await h.db.models.Staff.create({ schoolId: h.world.schoolId, fullName: "Lê Thị Mai", title: "Cô" });
    const row = await createSchoolAdmin(h.db.models).issueStaffCode({ schoolId: h.world.schoolId, staffId: staff._id, role: "homeroom-teacher", classGroupId: h.world.classId, ttlDays: 30 });
    const r = await createLinking(h.db.models, clock).redeem({ code: row.code, address: { channel: "telegram", account: "bot", userId: NEW_TEACHER, chatId: NEW_TEACHER },
      displayName: "Mai", locale: "vi", consentVersion: "test", eventId: "ev-link" });
    expect(r.status).toBe("linked");
  };

  beforeEach(async () => {
    // 6A1 has no homeroom teacher in the bot yet.
    await h.db.models.StaffRole.deleteMany({ identityId: h.world.identities.teacher });
  });


  it("delivers the waiting ticket, with a notice, to the teacher who links, once", async () => {
    const r = await raise();
    expect(r.unassigned).toBe(true);
    expect(await h.service.runAssign()).toBe(0);
    expect(h.outbox.items.filter((i) => i.recipient.userId !== "9101")).toEqual([]);

    await linkNewTeacher();
    expect(await h.service.runAssign()).toBe(1);
    const [late] = h.outbox.to(NEW_TEACHER);
    expect(late!.messages.map((m) => m.key)).toEqual(["concern-assigned-late", "concern-to-staff"]);
    expect(late!.messages[0]!.args).toMatchObject({ number: r.ticket.number });
    expect(late!.messages[1]!.args).toMatchObject({ student: "Nguyễn Văn An", className: "6A1" });
    // With the teacher's buttons under it.
    expect(late!.messages[1]!.buttons!.flat().map((b) => b.payload)).toContain(`pa-ack-${r.ticket.id}`);
    expect(late!.notBefore).toBeUndefined();
    // Again: nothing more.
    expect(await h.service.runAssign()).toBe(0);
    expect(h.outbox.to(NEW_TEACHER)).toHaveLength(1);
    // The new teacher can act on it.
    const identityId = (await h.db.models.ChannelIdentity.findOne({ externalUserId: NEW_TEACHER }).lean())!._id;
    const teacher = { identityId, roles: await rolesOf(h.db.models, identityId) };
    expect((await h.service.acknowledge(teacher, r.ticket.id)).status).toBe("ok");
  });

  it("a teacher linking at 22:00 receives the waiting ticket when their quiet hours end", async () => {
    await raise();
    clock.set(hn("2026-09-14T22:00:00"));
    await linkNewTeacher();
    expect(await h.service.runAssign()).toBe(1);
    expect(h.outbox.to(NEW_TEACHER)[0]!.notBefore).toEqual(hn("2026-09-15T06:30:00"));
  });

  it("leaves alone tickets already escalated to Ban giám hiệu (the principal has them) and those about a teacher", async () => {
    const escalated = await raise();
    const aboutTeacher = await raise("teacher");
    clock.set(hn("2026-09-14T17:00:00"));
    expect(await h.service.runClock({ concernId: escalated.ticket.id, kind: "first-response", cycle: 1 })).toBe("escalated");
    await linkNewTeacher();
    expect(await h.service.runAssign()).toBe(0);
    expect(h.outbox.to(NEW_TEACHER)).toEqual([]);
    // Handed back by the principal, the teacher who is now linked receives it that way.
    expect((await h.service.handBack(await h.world.actor("principal"), escalated.ticket.id)).status).toBe("ok");
    expect(h.outbox.keysTo(NEW_TEACHER)).toEqual(["concern-handed-back-teacher"]);
    expect(await h.service.runAssign()).toBe(0);
    expect(aboutTeacher.unassigned).toBe(false);
  });

  it("runs every minute as a job scheduler on the clock queue, and its job delivers", async () => {
    await raise();
    await linkNewTeacher();
    await scheduleConcernAssign(h.queue(), "Asia/Ho_Chi_Minh");
    expect(await h.queue().getJobScheduler(ASSIGN_SCHEDULER_ID)).toMatchObject({ pattern: "* * * * *", tz: "Asia/Ho_Chi_Minh" });
    const w = startConcernWorker({ connection: h.workerRedis, prefix: config.redis.queuePrefix, runClock: h.service.runClock, runDigest: h.service.runDigest, runAssign: h.service.runAssign });
    h.closers.push(() => w.close());
    const done = once(w, "completed");
    const next = (await h.queue().getJobs(["delayed"])).find((j) => j.name === "concern-assign")!;
    await next.promote();
    const [job, delivered] = await done;
    expect(job.name).toBe("concern-assign");
    expect(delivered).toBe(1);
    expect(h.outbox.keysTo(NEW_TEACHER)).toEqual(["concern-assigned-late", "concern-to-staff"]);
  });
});
