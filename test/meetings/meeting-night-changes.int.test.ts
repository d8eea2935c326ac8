/**
 * Messages held for the school's night follow every later change (issue 8, items 3 and 5), on
 * real FerretDB, Redis and BullMQ with a fake clock: a meeting published at 22:30 and then
 * cancelled or rescheduled before 06:30 — when the held invitations and nudges come due,
 * nobody receives an invitation to a cancelled meeting or the old time. And a reason typed
 * after *Không tham dự* stays with that answer only.
 */
import { describe, it, expect, beforeEach, afterEach } from "vitest";
import type { Redis } from "ioredis";
import type { Worker } from "bullmq";
import { useMeetingWorld } from "./support/service-harness.js";
import { eventually } from "../support/eventually.js";
import { deliveryStates } from "../support/deliveries.js";
import { startOutboxWorker } from "../../src/jobs/outbox.js";
import { createDeliveryRepo } from "../../src/store/deliveries.js";
import { Translator } from "../../src/i18n/fluent.js";
import type { Sender } from "../../src/engine/receiver.js";

describe("changes to a meeting while its messages wait for the night to end", () => {
  const { h, world } = useMeetingWorld("meet-night");
  const quiet = { info: () => {}, warn: () => {}, error: () => {} };
  let workerRedis: Redis, outbox: Worker | undefined;
  const received: { chatId: string; text: string }[] = [];
  const sender: Sender = { send: async (address, outbound) => void received.push({ chatId: address.chatId, text: outbound.kind === "text" ? outbound.text : "" }) };

  beforeEach(async () => {
    workerRedis = await h.workerConnection();
    received.length = 0;
  });
  afterEach(async () => {
    await outbox?.close();
    outbox = undefined;
  });

  /** 06:30: every held outbox job comes due, and the outbox worker runs them all. */
  const morning = async () => {
    outbox = startOutboxWorker({ connection: workerRedis, prefix: h.config.redis.queuePrefix, repo: createDeliveryRepo(h.db.models), senders: { telegram: sender },
      translator: new Translator(), ratePerSecond: 50, concurrency: 4, onUnreachable: async () => {}, logger: quiet });
    for (const job of await h.queues.outbox.getJobs(["delayed"])) await job.promote();
    await eventually(async () => {
      const c = await h.queues.outbox.getJobCounts("waiting", "delayed", "active", "prioritized");
      return Object.values(c).every((n) => n === 0);
    }, { timeoutMs: 20_000, message: "every outbox job processed" });
  };
  const statusesOf = async (prefix: string) => (await deliveryStates(h.db.models)).filter((d) => d.group.startsWith(prefix)).map((d) => `${d.status}:${d.error}`);

  const publishAt2230 = async () => {
    h.clock.set(new Date("2026-09-14T15:30:00Z")); // Monday 22:30 in Hà Nội
    const teacher = await world.actor(world.identities.teacher);
    const r = await h.service.create(teacher, world.classMeeting(), "ev-night");
    if (r.status !== "published") throw new Error(r.status);
    h.clock.set(new Date("2026-09-14T15:35:00Z"));
    expect(await h.service.nudge(teacher, r.meeting.id)).toEqual({ status: "sent", households: 2 });
    expect((await h.queues.outbox.getJobs(["delayed"])).length).toBe(6); // 3 invitations + 3 nudges, held until 06:30
    h.clock.set(new Date("2026-09-14T16:00:00Z")); // 23:00
    return { teacher, id: r.meeting.id };
  };

  it("cancelled at 23:00: at 06:30 nobody receives the invitation or the nudge, everybody has the cancellation", async () => {
    const { teacher, id } = await publishAt2230();
    expect(await h.service.cancel(teacher, id, "Trùng lịch kiểm tra")).toMatchObject({ status: "ok", households: 2 });
    await morning();
    expect(await statusesOf(`minv-${id}`)).toEqual(Array(3).fill("failed:superseded"));
    expect(await statusesOf(`mnud-${id}`)).toEqual(Array(3).fill("failed:superseded"));
    expect(await statusesOf(`mcan-${id}`)).toEqual(Array(3).fill("sent:"));
    expect(received).toHaveLength(3);
    expect(received.every((m) => /đã được hủy/.test(m.text))).toBe(true);
  });

  it("rescheduled at 23:00: at 06:30 nobody receives the old time as an invitation or a nudge; the change notice carries the new time", async () => {
    const { teacher, id } = await publishAt2230();
    expect(await h.service.reschedule(teacher, id, new Date("2026-09-26T12:30:00Z"))).toMatchObject({ status: "ok", households: 2 });
    await morning();
    expect(await statusesOf(`minv-${id}`)).toEqual(Array(3).fill("failed:superseded"));
    expect(await statusesOf(`mnud-${id}`)).toEqual(Array(3).fill("failed:superseded"));
    expect(received).toHaveLength(3);
    expect(received.every((m) => /Thời gian mới: Thứ Bảy, 26\/09\/2026 lúc 19:30/.test(m.text))).toBe(true);
    // Reminders exist only for the new version.
    const jobs = await h.reminderQueue().getJobs(["delayed"]);
    expect(jobs.length).toBeGreaterThan(0);
    expect(jobs.every((j) => j.data.version === 2)).toBe(true);
  });

  it("Mum answers 'Không tham dự', Dad then 'Tham dự', Mum types her reason: the household attends, the reason stays on Mum's answer", async () => {
    const teacher = await world.actor(world.identities.teacher);
    const r = await h.service.create(teacher, world.classMeeting({ kind: "other", place: "x", agenda: "y" }), "ev-household");
    const id = (r as { meeting: { id: string } }).meeting.id;
    const mom = await world.actor(world.identities.anMom), dad = await world.actor(world.identities.anDad);
    const mine = await h.service.rsvp(mom, id, world.students.an, "no", "", "ev-mom");
    expect(mine).toMatchObject({ status: "recorded", seq: 1 });
    expect(await h.service.rsvp(dad, id, world.students.an, "yes", "", "ev-dad")).toMatchObject({ status: "recorded", seq: 2 });
    expect(await h.service.rsvpReason(mom, id, world.students.an, 1, "Đi công tác")).toEqual({ status: "ok" });
    // Dad cannot write a reason onto Mum's answer.
    expect(await h.service.rsvpReason(dad, id, world.students.an, 1, "x")).toEqual({ status: "not-found" });
    const tally = (await h.service.tally(teacher, id))!;
    expect(tally.rows[0]).toEqual({ studentName: "Nguyễn Văn An", answer: "yes", reason: "", reach: "reachable" });
    expect(tally.counts).toMatchObject({ yes: 1, no: 0 });
    const answers = await h.meetings.MeetingRsvp.find({ meetingId: id }).sort({ seq: 1 }).lean();
    expect(answers.map((a) => [a.answeredBy, a.answer, a.reason])).toEqual([[world.identities.anMom, "no", "Đi công tác"], [world.identities.anDad, "yes", ""]]);
    // A replayed event does not add an answer.
    expect(await h.service.rsvp(mom, id, world.students.an, "no", "", "ev-mom")).toMatchObject({ seq: 1 });
    expect(await h.meetings.MeetingRsvp.countDocuments({ meetingId: id })).toBe(2);
  });
});
