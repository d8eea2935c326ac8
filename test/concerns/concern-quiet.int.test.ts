import { describe, it, expect } from "vitest";
import { useConcernHarness } from "./support/concern-harness.js";

const hn = (local: string) => new Date(`${local}+07:00`);

describe("per-teacher quiet hours on real FerretDB and BullMQ", () => {
  const h = useConcernHarness("concern-quiet", { at: hn("2026-09-14T09:00:00"), outbox: "recording" });
  const { clock } = h;
  // Telegram user ids of the fixture (chat ids equal user ids).
  const TEACHER = "9001", OTHER_TEACHER = "9002", PRINCIPAL = "9003";
  const raise = async (student: "an" | "khoa", category: "study" | "bullying" = "study") => {
    const r = await h.service.create(await h.world.actor("anMom"), { studentId: h.world.students[student], category, text: "Con bị điểm kém môn Toán mà không rõ lý do" }, `ev-${Math.random()}`);
    if (r.status !== "created") throw new Error(r.status);
    return r;
  };
  const newConcernTo = (userId: string, ticketId: string) => h.outbox.to(userId).find((i) => i.key.startsWith(`pa-${ticketId}-new-`));

  it("a teacher with 22:00–07:00 gets a 21:30 concern at once, while a colleague on the default waits until 06:30", async () => {
    expect(await h.service.setMyQuietHours(await h.world.actor("teacher"), { start: 22 * 60, end: 7 * 60 })).toMatchObject({ start: 1320, end: 420, sundays: true, custom: true });
    clock.set(hn("2026-09-14T21:30:00"));
    const mine = await raise("an");
    expect(mine.deliverAt).toBeUndefined();
    expect(newConcernTo(TEACHER, mine.ticket.id)).toBeTruthy();
    expect(newConcernTo(TEACHER, mine.ticket.id)!.notBefore).toBeUndefined();
    // Khoa's teacher (6A2) keeps the school default 21:00–06:30.
    const theirs = await raise("khoa");
    expect(theirs.deliverAt).toEqual(hn("2026-09-15T06:30:00"));
    expect(newConcernTo(OTHER_TEACHER, theirs.ticket.id)!.notBefore).toEqual(hn("2026-09-15T06:30:00"));
    // The settings are one document per staff identity.
    expect(await h.C.StaffQuietHours.find({}).lean()).toEqual([expect.objectContaining({ _id: h.world.identities.teacher, start: 1320, end: 420, sundays: true })]);
  });

  it("a concern inside the teacher's own quiet hours waits for their end, and the guardian is told that time", async () => {
    await h.service.setMyQuietHours(await h.world.actor("teacher"), { start: 22 * 60, end: 7 * 60 });
    clock.set(hn("2026-09-14T22:30:00"));
    const r = await raise("an");
    expect(r.deliverAt).toEqual(hn("2026-09-15T07:00:00"));
    expect(newConcernTo(TEACHER, r.ticket.id)!.notBefore).toEqual(hn("2026-09-15T07:00:00"));
    // A message the guardian adds at 23:00 waits as well.
    clock.set(hn("2026-09-14T23:00:00"));
    await h.service.addMessage(await h.world.actor("anMom"), r.ticket.id, "Dạ con nói thêm là bài kiểm tra hôm thứ Sáu ạ.", "ev-add");
    expect(h.outbox.to(TEACHER).find((i) => i.key.includes("-msg-ev-add-t-"))!.notBefore).toEqual(hn("2026-09-15T07:00:00"));
  });

  it("staff messages to a guardian wait for the school's nightly window; on a safety or bullying concern they go at once", async () => {
    await h.C.SchoolCalendar.create({ _id: h.world.schoolId, quietStart: 21 * 60 + 30, quietEnd: 6 * 60 });
    const calm = await raise("an");
    const urgent = await raise("an", "bullying");
    clock.set(hn("2026-09-14T22:00:00"));
    const teacher = await h.world.actor("teacher");
    await h.service.addMessage(teacher, calm.ticket.id, "Cô đã xem bài kiểm tra của con.", "ev-late-reply");
    await h.service.addMessage(teacher, urgent.ticket.id, "Cô đã báo Ban giám hiệu ngay.", "ev-urgent-reply");
    const ANMOM = "9101";
    expect(h.outbox.to(ANMOM).find((i) => i.key.includes("-msg-ev-late-reply"))!.notBefore).toEqual(hn("2026-09-15T06:00:00"));
    expect(h.outbox.to(ANMOM).find((i) => i.key.includes("-msg-ev-urgent-reply"))!.notBefore).toBeUndefined();
    // Resolving at 22:00 is told at the window's end too.
    await h.service.resolve(teacher, calm.ticket.id);
    expect(h.outbox.to(ANMOM).find((i) => i.key.startsWith(`pa-${calm.ticket.id}-res-`))!.notBefore).toEqual(hn("2026-09-15T06:00:00"));
  });

  it("Sundays: a teacher who switches Sunday quiet off receives a Sunday-afternoon concern at once", async () => {
    await h.service.setMyQuietHours(await h.world.actor("teacher"), { sundays: false });
    clock.set(hn("2026-09-20T15:00:00")); // Sunday
    const a = await raise("an");
    expect(newConcernTo(TEACHER, a.ticket.id)!.notBefore).toBeUndefined();
    const k = await raise("khoa");
    expect(newConcernTo(OTHER_TEACHER, k.ticket.id)!.notBefore).toEqual(hn("2026-09-21T06:30:00"));
  });

  it("urgent concerns ignore anyone's quiet hours", async () => {
    await h.service.setMyQuietHours(await h.world.actor("teacher"), { start: 20 * 60, end: 8 * 60 });
    clock.set(hn("2026-09-14T23:00:00"));
    const r = await raise("an", "bullying");
    expect(r.deliverAt).toBeUndefined();
    expect(newConcernTo(TEACHER, r.ticket.id)!.notBefore).toBeUndefined();
    expect(newConcernTo(PRINCIPAL, r.ticket.id)!.notBefore).toBeUndefined();
  });

  it("the first-response clock pauses in the teacher's own quiet hours (20:00–08:00 starts the school day at 08:00)", async () => {
    await h.service.setMyQuietHours(await h.world.actor("teacher"), { start: 20 * 60, end: 8 * 60 });
    clock.set(hn("2026-09-14T07:00:00"));
    const r = await raise("an");
    expect(r.deliverAt).toEqual(hn("2026-09-14T08:00:00"));
    expect(r.respondBy).toEqual(hn("2026-09-14T16:00:00"));
    const job = (await h.queue().getJob(`pclk-${r.ticket.id}-first-response-c1`))!;
    expect(job.opts.delay).toBe(9 * 3_600_000);
    // The default teacher's day starts at 07:00.
    expect((await raise("khoa")).respondBy).toEqual(hn("2026-09-14T15:00:00"));
  });

  it("a window that is not a night is refused and nothing is stored; the default removes the document", async () => {
    const teacher = await h.world.actor("teacher");
    expect(await h.service.setMyQuietHours(teacher, { start: 8 * 60, end: 17 * 60 })).toBe("invalid");
    expect(await h.C.StaffQuietHours.countDocuments({})).toBe(0);
    await h.service.setMyQuietHours(teacher, { start: 22 * 60, end: 7 * 60 });
    expect(await h.service.setMyQuietHours(teacher, "default")).toEqual({ start: 1260, end: 390, sundays: true, custom: false });
    expect(await h.C.StaffQuietHours.countDocuments({})).toBe(0);
    expect(await h.service.myQuietHours(await h.world.actor("anMom"))).toBeUndefined();
  });
});
