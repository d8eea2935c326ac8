/**
 * A school in its own time zone (`School.timeZone` = Asia/Tokyo, two hours ahead of the
 * deployment's Asia/Ho_Chi_Minh): its reminders fire at its own 19:00 and the messages the
 * outbox sends show its own wall clock; a school without a zone keeps the deployment's.
 * Real FerretDB, Redis and BullMQ; the platform is a recording sender.
 */
import { describe, it, expect, beforeEach, afterEach } from "vitest";
import type { Redis } from "ioredis";
import type { Worker } from "bullmq";
import { eventually } from "../support/eventually.js";
import { startOutboxWorker } from "../../src/jobs/outbox.js";
import { createDeliveryRepo } from "../../src/store/deliveries.js";
import { Translator } from "../../src/i18n/fluent.js";
import type { Address, Outbound } from "../../src/engine/messages.js";
import { useMeetingHarness } from "./support/service-harness.js";
import { seedMeetingWorld, type MeetingWorld } from "./support/meeting-fixture.js";

/** 19/09/2026 19:30 in Tokyo (17:30 in Hà Nội). */
const STARTS_AT = new Date("2026-09-19T10:30:00Z");

describe("meetings in the school's own time zone (real FerretDB, Redis, BullMQ)", () => {
  const h = useMeetingHarness("meet-tz");
  const quiet = { info: () => {}, warn: () => {} };
  let workerRedis: Redis, worker: Worker | undefined;
  const sent: { to: Address; text: string }[] = [];

  beforeEach(async () => {
    workerRedis = await h.workerConnection();
    sent.length = 0;
  });
  afterEach(async () => {
    await worker?.close();
    worker = undefined;
  });

  /** The outbox worker with the deployment's zone as its translator's default. */
  const startWorker = () => {
    worker = startOutboxWorker({
      connection: workerRedis, prefix: h.config.redis.queuePrefix, repo: createDeliveryRepo(h.db.models),
      senders: { telegram: { send: async (to: Address, o: Outbound) => { sent.push({ to, text: "text" in o ? o.text : "" }); } } },
      translator: new Translator("Asia/Ho_Chi_Minh"), ratePerSecond: 100, concurrency: 4, onUnreachable: async () => {}, logger: quiet,
    });
  };
  const publish = async (world: MeetingWorld, eventId: string) => {
    const teacher = await world.actor(world.identities.teacher);
    const r = await h.service.create(teacher, world.classMeeting({ startsAt: STARTS_AT }), eventId);
    if (r.status !== "published") throw new Error(`expected published, got ${r.status}`);
    return r.meeting;
  };
  const delays = async (meetingId: string) =>
    Object.fromEntries((await h.reminderQueue().getJobs(["delayed"])).filter((j) => j.data.meetingId === meetingId).map((j) => [j.data.offset as string, j.opts.delay]));
  const delayUntil = (iso: string) => new Date(iso).getTime() - h.clock.now().getTime();

  it("a Tokyo school's reminder fires at 19:00 in Tokyo and its invitation and reminder show Tokyo's time; the default school keeps Hà Nội's", async () => {
    const tokyo = await seedMeetingWorld(h.db.models, { account: "bot" });
    await h.db.models.School.updateOne({ _id: tokyo.schoolId }, { $set: { timeZone: "Asia/Tokyo" } });
    const hanoi = await seedMeetingWorld(h.db.models, { account: "bot", userIds: { teacher: "8001", anMom: "8101", anDad: "8102", binhMom: "8201" } });

    const inTokyo = await publish(tokyo, "ev-tokyo");
    const inHanoi = await publish(hanoi, "ev-hanoi");
    // "The evening before at 19:00" and three days before at 19:00, each in the school's own zone.
    expect(await delays(inTokyo.id)).toEqual({
      "d3-1900": delayUntil("2026-09-16T10:00:00Z"), "d1-1900": delayUntil("2026-09-18T10:00:00Z"), m120: delayUntil("2026-09-19T08:30:00Z"),
    });
    expect(await delays(inHanoi.id)).toEqual({
      "d3-1900": delayUntil("2026-09-16T12:00:00Z"), "d1-1900": delayUntil("2026-09-18T12:00:00Z"), m120: delayUntil("2026-09-19T08:30:00Z"),
    });

    // The invitations are recorded with their school's zone (the deployment's for a school without
    // one) and rendered in it by the outbox.
    expect((await h.deliveries(`minv-${inTokyo.id}`)).map((d) => d.timeZone)).toEqual(["Asia/Tokyo", "Asia/Tokyo", "Asia/Tokyo"]);
    expect((await h.deliveries(`minv-${inHanoi.id}`)).map((d) => d.timeZone)).toEqual(["Asia/Ho_Chi_Minh", "Asia/Ho_Chi_Minh", "Asia/Ho_Chi_Minh"]);
    startWorker();
    await eventually(async () => sent.length === 6, { message: "six invitations sent" });
    const textsTo = (userIds: string[]) => sent.filter((s) => userIds.includes(s.to.userId)).map((s) => s.text);
    for (const text of textsTo(["9101", "9102", "9201"])) {
      expect(text).toContain("19/09/2026 lúc 19:30");
      expect(text).not.toContain("17:30");
    }
    for (const text of textsTo(["8101", "8102", "8201"])) expect(text).toContain("19/09/2026 lúc 17:30");

    // The evening-before reminder, when its job runs: Tokyo's time again.
    h.clock.set("2026-09-18T10:00:00Z");
    expect(await h.service.runReminder({ meetingId: inTokyo.id, version: 1, offset: "d1-1900" })).toBe("sent");
    await eventually(async () => sent.length === 9, { message: "three reminders sent" });
    for (const { text } of sent.slice(6)) {
      expect(text).toContain("19:30");
      expect(text).not.toContain("17:30");
    }
  });
});
