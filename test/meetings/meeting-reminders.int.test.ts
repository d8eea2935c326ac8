import { describe, it, expect, beforeEach, afterEach } from "vitest";
import { once } from "node:events";
import type { Redis } from "ioredis";
import { eventually } from "../support/eventually.js";
import { startReminderWorker, type MeetingReminderJob } from "../../src/jobs/meeting-reminders.js";
import { useMeetingWorld } from "./support/service-harness.js";

describe("meeting service and reminders on real FerretDB and BullMQ", () => {
  const { h, world } = useMeetingWorld("meet-rem");
  let workerRedis: Redis;
  const closers: (() => Promise<unknown>)[] = [];
  const queue = () => h.reminderQueue();
  const delayedIds = async () => (await queue().getJobs(["delayed"])).map((j) => j.id).sort();
  const reminderDeliveries = (meetingId: string, version: number) => h.db.models.Delivery.find({ group: `mrem-${meetingId}-v${version}` }).lean();
  const worker = (extra: Partial<Parameters<typeof startReminderWorker>[0]> = {}) => {
    const w = startReminderWorker({ connection: workerRedis, prefix: h.config.redis.queuePrefix, run: h.service.runReminder, ...extra });
    closers.push(() => w.close());
    return w;
  };
  const createMeeting = async () => {
    const teacher = await world.actor(world.identities.teacher);
    const r = await h.service.create(teacher, world.classMeeting(), `ev-${Math.random()}`);
    if (r.status !== "published") throw new Error(`expected published, got ${r.status}`);
    return { teacher, meeting: r.meeting };
  };

  beforeEach(async () => {
    workerRedis = await h.workerConnection();
  });
  afterEach(async () => {
    for (const c of closers.splice(0)) await c();
  });

  it("publishing plans one delayed job per rung, each delayed until its time on the injected clock", async () => {
    const { meeting } = await createMeeting();
    const jobs = await queue().getJobs(["delayed"]);
    expect(jobs.map((j) => j.id).sort()).toEqual([`mrem-${meeting.id}-v1-d1-1900`, `mrem-${meeting.id}-v1-d3-1900`, `mrem-${meeting.id}-v1-m120`]);
    const d3 = jobs.find((j) => j.id!.endsWith("d3-1900"))!;
    // 16/09 19:00 in Hà Nội is 12:00 UTC, 2 days 10 hours after the fake now.
    expect(d3.opts.delay).toBe(new Date("2026-09-16T12:00:00Z").getTime() - h.clock.now().getTime());
    expect(d3.data).toEqual({ meetingId: meeting.id, version: 1, offset: "d3-1900" });
  });

  it("after a reschedule only the new version's reminders exist and fire, to every household that has not declined", async () => {
    const { teacher, meeting } = await createMeeting();
    const binhMom = await world.actor(world.identities.binhMom);
    expect((await h.service.rsvp(binhMom, meeting.id, world.students.binh, "no", "vắng có phép", "ev-rsvp")).status).toBe("recorded");
    const r = await h.service.reschedule(teacher, meeting.id, new Date("2026-09-26T12:30:00Z"));
    expect(r.status).toBe("ok");
    expect(await delayedIds()).toEqual([`mrem-${meeting.id}-v2-d1-1900`, `mrem-${meeting.id}-v2-d3-1900`, `mrem-${meeting.id}-v2-m120`]);

    const w = worker();
    let done = 0;
    w.on("completed", () => done++);
    for (const job of await queue().getJobs(["delayed"])) await job.promote();
    await eventually(() => done === 3, { message: "three reminders processed" });

    expect(await reminderDeliveries(meeting.id, 1)).toHaveLength(0);
    const sent = await reminderDeliveries(meeting.id, 2);
    // An's two guardians × 3 rungs; Bình declined; Châu has no linked guardian.
    expect(sent).toHaveLength(6);
    expect(new Set(sent.map((d) => d.identityId))).toEqual(new Set([world.identities.anMom, world.identities.anDad]));
    expect(sent.every((d) => JSON.parse(d.messages)[0].args.when.date === "2026-09-26T12:30:00.000Z")).toBe(true);
  });

  it("cancelling removes every waiting reminder, and a reminder job of the old version does nothing", async () => {
    const { teacher, meeting } = await createMeeting();
    expect((await h.service.cancel(teacher, meeting.id, "Trùng lịch kiểm tra")).status).toBe("ok");
    expect(await delayedIds()).toEqual([]);
    expect(await h.service.runReminder({ meetingId: meeting.id, version: 1, offset: "d3-1900" })).toBe("skipped");
    expect(await reminderDeliveries(meeting.id, 1)).toHaveLength(0);
  });

  it("a reschedule landing while a reminder job is active leaves no reminder for the old time", async () => {
    const { teacher, meeting } = await createMeeting();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let entered!: () => void;
    const active = new Promise<void>((r) => (entered = r));
    const w = worker({ beforeRun: async () => { entered(); await gate; } });
    const completed = once(w, "completed");
    await (await queue().getJob(`mrem-${meeting.id}-v1-d3-1900`))!.promote();
    await active;
    expect(await (await queue().getJob(`mrem-${meeting.id}-v1-d3-1900`))!.getState()).toBe("active");

    expect((await h.service.reschedule(teacher, meeting.id, new Date("2026-09-26T12:30:00Z"))).status).toBe("ok");
    release();
    const [, result] = await completed;
    expect(result).toBe("skipped");
    expect(await reminderDeliveries(meeting.id, 1)).toHaveLength(0);
    expect((await delayedIds()).every((id) => id!.includes("-v2-"))).toBe(true);
  });

  it("a worker killed while a reminder is due leaves exactly one reminder per guardian", async () => {
    const { meeting } = await createMeeting();
    let fannedOut!: () => void;
    const crashed = new Promise<void>((r) => (fannedOut = r));
    // The first worker fans out, then hangs as if the process died before completing the job.
    const doomed = startReminderWorker({
      connection: workerRedis, prefix: h.config.redis.queuePrefix, lockDuration: 1_000, stalledInterval: 500,
      run: async (job: MeetingReminderJob) => { await h.service.runReminder(job); fannedOut(); return new Promise<never>(() => {}); },
    });
    await (await queue().getJob(`mrem-${meeting.id}-v1-m120`))!.promote();
    await crashed;
    await doomed.close(true);

    const survivor = worker({ lockDuration: 1_000, stalledInterval: 500 });
    const [job, result] = await once(survivor, "completed", { signal: AbortSignal.timeout(20_000) });
    expect(job.id).toBe(`mrem-${meeting.id}-v1-m120`);
    expect(result).toBe("sent");
    const sent = await reminderDeliveries(meeting.id, 1);
    expect(sent.map((d) => d.identityId).sort()).toEqual([world.identities.anMom, world.identities.anDad, world.identities.binhMom].sort());
  });

  it("refuses other classes without revealing them: create, RSVP, tally", async () => {
    const { meeting } = await createMeeting();
    const otherClass = await h.db.models.ClassGroup.create({ schoolId: world.schoolId, yearId: (await h.db.models.SchoolYear.findOne({ schoolId: world.schoolId }).lean())!._id, name: "6A2", grade: 6 });
    const teacher = await world.actor(world.identities.teacher);
    const draft = { schoolId: world.schoolId, scope: { kind: "class" as const, classGroupId: otherClass._id }, kind: "other" as const, startsAt: new Date("2026-09-20T12:00:00Z"), place: "x", agenda: "y" };
    expect(await h.service.create(teacher, draft, "ev-other")).toEqual({ status: "forbidden" });
    expect(await h.service.create(teacher, { ...draft, scope: { kind: "school" } }, "ev-school")).toEqual({ status: "forbidden" });
    const binhMom = await world.actor(world.identities.binhMom);
    expect(await h.service.rsvp(binhMom, meeting.id, world.students.an, "yes", "", "ev-x")).toEqual({ status: "not-found" });
    expect(await h.service.tally(binhMom, meeting.id)).toBeUndefined();
    expect(await h.db.models.Delivery.countDocuments({ group: `mra-${meeting.id}` })).toBe(0);
  });

  it("the latest answer per student counts: the second guardian's answer is kept beside the first, decides the tally, and the first guardian is told", async () => {
    const { teacher, meeting } = await createMeeting();
    await h.service.rsvp(await world.actor(world.identities.anMom), meeting.id, world.students.an, "yes", "", "ev-1");
    await h.service.rsvp(await world.actor(world.identities.anDad), meeting.id, world.students.an, "other", "", "ev-2");
    expect(await h.meetings.MeetingRsvp.countDocuments({ meetingId: meeting.id })).toBe(2);
    const tally = (await h.service.tally(teacher, meeting.id))!;
    expect(tally.rows).toEqual([
      { studentName: "Nguyễn Văn An", answer: "other", reason: "", reach: "reachable" },
      { studentName: "Trần Thị Bình", answer: "none", reason: "", reach: "reachable" },
      { studentName: "Lê Minh Châu", answer: "none", reason: "", reach: "not-linked" },
    ]);
    const told = await h.db.models.Delivery.find({ group: `mra-${meeting.id}` }).lean();
    expect(told.map((d) => d.identityId).sort()).toEqual([world.identities.anDad, world.identities.anMom].sort());
  });

  it("nudges households without an answer at most once per local day", async () => {
    const { teacher, meeting } = await createMeeting();
    await h.service.rsvp(await world.actor(world.identities.anMom), meeting.id, world.students.an, "yes", "", "ev-1");
    expect(await h.service.nudge(teacher, meeting.id)).toEqual({ status: "sent", households: 1 });
    expect(await h.service.nudge(teacher, meeting.id)).toEqual({ status: "already-today" });
    h.clock.advance(86_400_000);
    try {
      expect(await h.service.nudge(teacher, meeting.id)).toEqual({ status: "sent", households: 1 });
    } finally {
      h.clock.advance(-86_400_000);
    }
    const nudged = await h.db.models.Delivery.find({ _id: /^mnud-/ }).lean();
    expect(nudged.map((d) => d.identityId)).toEqual([world.identities.binhMom, world.identities.binhMom]);
  });

  it("a draft waits for the board head, a revision goes back to the organizer, a stale button is refused, and every step is audited", async () => {
    await h.db.models.BoardMembership.create({ identityId: world.identities.binhMom, schoolId: world.schoolId, scope: "class", classGroupId: world.classId, position: "head", studentId: world.students.binh });
    const teacher = await world.actor(world.identities.teacher);
    const head = await world.actor(world.identities.binhMom);
    const r = await h.service.create(teacher, world.classMeeting({ kind: "end-year", agenda: "Tổng kết" }), "ev-create");
    expect(r.status).toBe("sent-to-board");
    const id = (r as { meeting: { id: string } }).meeting.id;
    expect(await delayedIds()).toEqual([]);
    expect(await h.db.models.Delivery.countDocuments({ group: `minv-${id}` })).toBe(0);
    expect((await h.service.boardDecision(head, id, 1, "revise", "Thêm mục quỹ lớp")).status).toBe("revision-requested");
    expect((await h.service.resubmit(teacher, id, { agenda: "Tổng kết; quỹ lớp" })).status).toBe("sent-to-board");
    expect(await h.service.boardDecision(head, id, 1, "agree", "")).toEqual({ status: "stale" });
    expect(await h.service.boardDecision(await world.actor(world.identities.anMom), id, 2, "agree", "")).toEqual({ status: "not-found" });
    const agreed = await h.service.boardDecision(head, id, 2, "agree", "");
    expect(agreed).toMatchObject({ status: "published", households: 2 });
    expect(await h.db.models.Delivery.countDocuments({ group: `minv-${id}` })).toBe(3);
    const trail = await h.meetings.MeetingAudit.find({ meetingId: id }).sort({ at: 1, _id: 1 }).lean();
    expect(new Set(trail.map((a) => a.action))).toEqual(new Set(["created", "sent-to-board", "board-revision-requested", "edited", "board-agreed", "published"]));
  });

  it("an extraordinary-meeting petition tells the teacher and the board head once half of the class's households have signed", async () => {
    await h.db.models.BoardMembership.create({ identityId: world.identities.binhMom, schoolId: world.schoolId, scope: "class", classGroupId: world.classId, position: "head", studentId: world.students.binh });
    const anMom = await world.actor(world.identities.anMom);
    const anDad = await world.actor(world.identities.anDad);
    const binhMom = await world.actor(world.identities.binhMom);
    const started = await h.service.startPetition(anMom, world.students.an, "Nhiều bạn bị bắt nạt", "ev-pet");
    // 1 of 3 pupils: not yet half.
    expect(started).toMatchObject({ status: "signed", signatures: 1, households: 3, reached: false });
    const petitionId = (started as { petitionId: string }).petitionId;
    // The other households are invited to co-sign; An's household is not asked again.
    expect((await h.db.models.Delivery.find({ group: `mpi-${petitionId}` }).lean()).map((d) => d.identityId)).toEqual([world.identities.binhMom]);
    // A second guardian of the same pupil does not count twice.
    expect(await h.service.signPetition(anDad, petitionId, world.students.an)).toMatchObject({ status: "already-signed", signatures: 1 });
    expect(await h.service.signPetition(anDad, petitionId, world.students.binh)).toEqual({ status: "not-found" });
    expect(await h.service.signPetition(binhMom, petitionId, world.students.binh)).toMatchObject({ status: "signed", signatures: 2, reached: true });
    const told = await h.db.models.Delivery.find({ group: `mpr-${petitionId}` }).lean();
    expect(told.map((d) => d.identityId).sort()).toEqual([world.identities.teacher, world.identities.binhMom].sort());
    // Each is addressed as who they are: the teacher as staff, the board head as a parent.
    const readerOf = (id: string) => (JSON.parse(told.find((d) => d.identityId === id)!.messages) as { args: { reader: string } }[])[0]!.args.reader;
    expect([readerOf(world.identities.teacher), readerOf(world.identities.binhMom)]).toEqual(["teacher", "board"]);
  });

  it("questions keep the pupil's name unless asked anonymously, and the CSV holds the tally and the questions", async () => {
    const { teacher, meeting } = await createMeeting();
    await h.service.ask(await world.actor(world.identities.anMom), meeting.id, world.students.an, "Lịch học thêm?", false, "ev-q1");
    await h.service.ask(await world.actor(world.identities.binhMom), meeting.id, world.students.binh, "Quỹ lớp dùng vào việc gì?", true, "ev-q2");
    await h.service.ask(await world.actor(world.identities.binhMom), meeting.id, world.students.binh, "Quỹ lớp dùng vào việc gì?", true, "ev-q2");
    expect(await h.service.ask(await world.actor(world.identities.binhMom), meeting.id, world.students.an, "?", false, "ev-q3")).toEqual({ status: "not-found" });
    expect((await h.service.questions(teacher, meeting.id))!.map((q) => [q.studentName, q.text])).toEqual([["Nguyễn Văn An", "Lịch học thêm?"], ["", "Quỹ lớp dùng vào việc gì?"]]);
    const csv = (await h.service.exportCsv(teacher, meeting.id))!;
    expect(csv.startsWith("\uFEFFsection,student,answer,reason_or_question,at\n")).toBe(true);
    expect(csv).toContain("rsvp,Lê Minh Châu,none,,");
    expect(csv).toContain(",Quỹ lớp dùng vào việc gì?,");
    expect(csv).not.toContain("question,Trần Thị Bình");
  });

  it("an invitation published during quiet hours waits for 06:30", async () => {
    h.clock.set(new Date("2026-09-14T15:30:00Z")); // 22:30 in Hà Nội
    try {
      const { meeting } = await createMeeting();
      const invites = await h.db.models.Delivery.find({ group: `minv-${meeting.id}` }).lean();
      expect(invites).toHaveLength(3);
      const jobs = await h.queues.outbox.getJobs(["delayed"]);
      expect(jobs.filter((j) => invites.some((d) => j.data.deliveryId === d._id)).map((j) => j.opts.delay)).toEqual([8 * 3_600_000, 8 * 3_600_000, 8 * 3_600_000]);
    } finally {
      h.clock.set(new Date("2026-09-14T02:00:00Z"));
    }
  });
});
