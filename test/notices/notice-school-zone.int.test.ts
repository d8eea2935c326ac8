/**
 * A school in its own time zone (`School.timeZone` = Asia/Tokyo, two hours ahead of the
 * deployment's Asia/Ho_Chi_Minh): its nightly window holds a notice until its own 06:30, and
 * each delivery carries the zone of the school it is about — a guardian with children in two
 * schools gets each school's. Real FerretDB, Redis and BullMQ, fake clock.
 */
import { describe, it, expect, beforeEach, afterEach } from "vitest";
import { eventually } from "../support/eventually.js";
import { Translator } from "../../src/i18n/fluent.js";
import type { Say } from "../../src/engine/say.js";
import { noticeGroup } from "../../src/features/notices/index.js";
import type { NoticeActor, NoticeDraft } from "../../src/features/notices/port.js";
import { seedNoticeWorld, type NoticeWorld } from "./support/notice-fixture.js";
import { startNoticeHarness, type NoticeHarness } from "./support/notice-harness.js";

describe("notices in the school's own time zone (real FerretDB, Redis, BullMQ)", () => {
  let h: NoticeHarness, tokyo: NoticeWorld, hanoi: NoticeWorld;

  beforeEach(async () => {
    h = await startNoticeHarness("notice-tz");
    tokyo = await seedNoticeWorld(h.db.models, { account: "bot", students: 2, guardianBase: 5000, teacherUserId: "1", principalUserId: "2" });
    await h.db.models.School.updateOne({ _id: tokyo.schoolId }, { $set: { timeZone: "Asia/Tokyo" } });
    hanoi = await seedNoticeWorld(h.db.models, { account: "bot", students: 2, guardianBase: 6000, teacherUserId: "3", principalUserId: "4" });
    // Tokyo pupil 1's guardian also has a child (pupil 1) in the Hà Nội school.
    await h.db.models.GuardianLink.create({ identityId: tokyo.identities.guardians[1]!, studentId: hanoi.students[1]!.id, schoolId: hanoi.schoolId });
    await h.startWorker();
  });
  afterEach(async () => {
    await h.stop();
  });

  /** An "ack" notice to the world's class, due 18/09 17:00 in Tokyo (15:00 in Hà Nội). */
  const send = async (w: NoticeWorld, teacher: NoticeActor, eventId: string) => {
    const draft: NoticeDraft = { schoolId: w.schoolId, scope: { kind: "class", classGroupId: w.classId }, kind: "ack", text: "Họp phụ huynh", urgent: false,
      deadline: new Date("2026-09-18T08:00:00Z") };
    const r = await h.feature.port.create(teacher, draft, eventId);
    if (r.status !== "sent") throw new Error(`expected sent, got ${r.status}`);
    return r;
  };
  const deliveries = async (noticeId: string, n: number) => {
    await eventually(async () => (await h.db.models.Delivery.countDocuments({ group: noticeGroup(noticeId) })) === n && (await h.queues.outbox.getJobs(["delayed", "waiting"])).length >= n,
      { message: `fan-out of ${noticeId}` });
    return h.db.models.Delivery.find({ group: noticeGroup(noticeId) }).lean();
  };

  it("21:30 in Tokyo is the Tokyo school's night (held to its 06:30) but 19:30 in Hà Nội (sent at once); each delivery shows its school's time", async () => {
    h.clock.set("2026-09-14T12:30:00Z");
    const inTokyo = await send(tokyo, await tokyo.actor(tokyo.identities.teacher), "tz-1");
    expect(inTokyo.deferredUntil).toEqual(new Date("2026-09-14T21:30:00Z")); // 15/09 06:30 in Tokyo
    const tokyoDeliveries = await deliveries(inTokyo.notice.id, 3);
    const jobs = await h.queues.outbox.getJobs(["delayed", "waiting"]);
    expect(jobs.map((j) => j.opts.delay)).toEqual([9 * 3_600_000, 9 * 3_600_000, 9 * 3_600_000]);
    await h.queues.outbox.obliterate({ force: true });

    const inHanoi = await send(hanoi, await hanoi.actor(hanoi.identities.teacher), "tz-2");
    expect(inHanoi.deferredUntil).toBeUndefined();
    const hanoiDeliveries = await deliveries(inHanoi.notice.id, 4);
    expect((await h.queues.outbox.getJobs(["delayed", "waiting"])).every((j) => !j.opts.delay)).toBe(true);

    // The guardian of both schools: the Tokyo school's notice in Tokyo time, the Hà Nội one in Hà Nội time.
    const shared = tokyo.guardianUserIds[1]!;
    const to = (ds: typeof tokyoDeliveries, userId: string) => ds.find((d) => d.recipient.userId === userId)!;
    expect(tokyoDeliveries.map((d) => d.timeZone)).toEqual(["Asia/Tokyo", "Asia/Tokyo", "Asia/Tokyo"]);
    expect(hanoiDeliveries.map((d) => d.timeZone)).toEqual(["Asia/Ho_Chi_Minh", "Asia/Ho_Chi_Minh", "Asia/Ho_Chi_Minh", "Asia/Ho_Chi_Minh"]);
    const shown = (d: (typeof tokyoDeliveries)[number]) => {
      const text = new Translator("Asia/Ho_Chi_Minh").render("vi", (JSON.parse(d.messages) as Say[])[0]!, undefined, d.timeZone ?? undefined);
      return "text" in text ? text.text : "";
    };
    expect(shown(to(tokyoDeliveries, shared))).toContain("18/09/2026 lúc 17:00");
    expect(shown(to(hanoiDeliveries, shared))).toContain("18/09/2026 lúc 15:00");
  });
});
