import { describe, it, expect, beforeEach } from "vitest";
import { useMeetingHarness, type MeetingServiceHarness } from "./support/service-harness.js";
import { rolesOf } from "../../src/store/directory.js";
import { rsvpAllPayload, rsvpPayload, type MeetingActor, type MeetingScope } from "../../src/features/meetings/port.js";
import { Translator } from "../../src/i18n/fluent.js";

/**
 * A school with grade 6 (6A1, 6A2), grade 7 (7A1) and last year's archived 6A9; one mother has
 * children in 6A1 and 6A2; Cường has two guardians; the school board head is Em's mother (grade 7).
 */
async function seedSchool(h: MeetingServiceHarness) {
  const m = h.db.models;
  const school = await m.School.create({ name: "THCS Nguyễn Du", slug: `nd-${Math.random().toString(36).slice(2, 8)}` });
  const year = await m.SchoolYear.create({ schoolId: school._id, name: "2026-2027" });
  const oldYear = await m.SchoolYear.create({ schoolId: school._id, name: "2025-2026", archived: true });
  const cls = (name: string, grade: number, yearId = year._id) => m.ClassGroup.create({ schoolId: school._id, yearId, name, grade });
  const [c6a1, c6a2, c7a1, c6a9] = [await cls("6A1", 6), await cls("6A2", 6), await cls("7A1", 7), await cls("6A9", 6, oldYear._id)];
  let n = 0;
  const student = async (fullName: string, classGroupId: string) => (await m.Student.create({ schoolId: school._id, classGroupId, fullName, studentCode: `S${++n}` }))._id;
  const s = {
    an: await student("Nguyễn Văn An", c6a1._id), binh: await student("Trần Thị Bình", c6a1._id), khoa: await student("Đỗ Minh Khoa", c6a1._id),
    cuong: await student("Lê Văn Cường", c6a2._id), dung: await student("Nguyễn Thu Dung", c6a2._id),
    em: await student("Phạm Văn Em", c7a1._id), old: await student("Vũ Cũ", c6a9._id),
  };
  const identity = async (userId: string) =>
    (await m.ChannelIdentity.create({ channel: "telegram", account: "bot", externalUserId: userId, chatId: userId, locale: "vi" }))._id;
  const g = {
    anDungMom: await identity("801"), binhDad: await identity("802"), cuongMom: await identity("803"), cuongDad: await identity("804"),
    emMom: await identity("805"), oldMom: await identity("806"), principal: await identity("900"), teacher6a1: await identity("901"),
  };
  for (const [identityId, studentId] of [[g.anDungMom, s.an], [g.anDungMom, s.dung], [g.binhDad, s.binh], [g.cuongMom, s.cuong], [g.cuongDad, s.cuong], [g.emMom, s.em], [g.oldMom, s.old]] as const)
    await m.GuardianLink.create({ identityId, studentId, schoolId: school._id });
  const staff = await m.Staff.create({ schoolId: school._id, fullName: "Trần Văn Hiệu", title: "Thầy" });
  await m.StaffRole.create({ identityId: g.principal, staffId: staff._id, schoolId: school._id, role: "principal" });
  const teacher = await m.Staff.create({ schoolId: school._id, fullName: "Nguyễn Thị Lan", title: "Cô" });
  await m.StaffRole.create({ identityId: g.teacher6a1, staffId: teacher._id, schoolId: school._id, role: "homeroom-teacher", classGroupId: c6a1._id });
  await m.BoardMembership.create({ identityId: g.emMom, schoolId: school._id, scope: "school", position: "head", studentId: s.em });
  // A class board head exists too: a grade meeting must not go to them.
  await m.BoardMembership.create({ identityId: g.binhDad, schoolId: school._id, scope: "class", classGroupId: c6a1._id, position: "head", studentId: s.binh });
  const actor = async (identityId: string): Promise<MeetingActor> => ({ identityId, roles: await rolesOf(m, identityId) });
  return { schoolId: school._id, s, g, actor };
}

describe("grade and school meetings by a principal", () => {
  const h = useMeetingHarness("meet-scope");
  let w: Awaited<ReturnType<typeof seedSchool>>;
  beforeEach(async () => {
    w = await seedSchool(h);
  });

  const createAndAgree = async (scope: MeetingScope, eventId: string) => {
    const principal = await w.actor(w.g.principal);
    const draft = { schoolId: w.schoolId, scope, kind: "start-year" as const, startsAt: new Date("2026-09-19T01:00:00Z"), place: "Hội trường", agenda: "Kế hoạch năm học" };
    const created = await h.service.create(principal, draft, eventId);
    expect(created.status).toBe("sent-to-board");
    const id = created.status === "sent-to-board" ? created.meeting.id : "";
    // Nothing goes to families before the school board head agrees; the request went to the school head only.
    expect(await h.db.models.Delivery.countDocuments({ group: `minv-${id}` })).toBe(0);
    expect((await h.deliveries(`mbr-${id}`)).map((d) => d.identityId)).toEqual([w.g.emMom]);
    expect(await h.service.boardDecision(await w.actor(w.g.binhDad), id, 1, "agree", "")).toEqual({ status: "not-found" });
    const agreed = await h.service.boardDecision(await w.actor(w.g.emMom), id, 1, "agree", "");
    expect(agreed.status).toBe("published");
    // Retries change nothing: the same create event, the same board button.
    expect((await h.service.create(principal, draft, eventId)).status).toBe("published");
    expect(await h.service.boardDecision(await w.actor(w.g.emMom), id, 1, "agree", "")).toEqual({ status: "stale" });
    return { id, households: agreed.status === "published" ? agreed.households : -1 };
  };

  /** The invitations: to whom, the pupils each names, and the pupils its RSVP buttons answer for. */
  const invited = async (id: string) => {
    const ds = await h.deliveries(`minv-${id}`);
    return ds.map((d) => ({
      students: d.first.args!.students !== undefined ? String(d.first.args!.students) : String(d.first.args!.student), identityId: d.identityId,
      studentButtons: d.first.buttons!.flat().filter((b) => b.payload.startsWith("mr-")).map((b) => b.payload.split("-").slice(2, -1).join("-")),
      allButtons: d.first.buttons!.flat().filter((b) => b.payload.startsWith("mrall-")).map((b) => b.payload),
    }));
  };

  it("a grade-6 meeting invites every household of every grade-6 class of this year, one message per guardian naming each of their children", async () => {
    const { id, households } = await createAndAgree({ kind: "grade", grade: 6 }, "ev-grade");
    expect(households).toBe(4); // An, Bình, Cường, Dung have linked guardians; Khoa has none
    const got = await invited(id);
    // An and Dung's mother (6A1 and 6A2) gets one invitation naming both (issue 12), not one per child.
    expect(got.map((i) => `${i.students} → ${i.identityId}`).sort()).toEqual([
      `Lê Văn Cường → ${w.g.cuongDad}`, `Lê Văn Cường → ${w.g.cuongMom}`, `Nguyễn Văn An, Nguyễn Thu Dung → ${w.g.anDungMom}`, `Trần Thị Bình → ${w.g.binhDad}`,
    ].sort());
    // Each invitation's buttons answer for its own pupils: the mother of two has three per child.
    const idOf: Record<string, string> = { "Nguyễn Văn An": w.s.an, "Trần Thị Bình": w.s.binh, "Lê Văn Cường": w.s.cuong, "Nguyễn Thu Dung": w.s.dung };
    for (const i of got) expect(i.studentButtons).toEqual(i.students.split(", ").flatMap((n) => [idOf[n], idOf[n], idOf[n]]));
    // …and before them, one answer for both of hers.
    expect(Object.fromEntries(got.map((i) => [i.students, i.allButtons.length]))).toEqual({ "Nguyễn Văn An, Nguyễn Thu Dung": 1, "Trần Thị Bình": 0, "Lê Văn Cường": 0 });
    // Grade 7 and last year's class are not invited.
    expect(got.some((i) => i.identityId === w.g.emMom || i.identityId === w.g.oldMom)).toBe(false);

    // The mother of two answers for each child; the tally is per pupil of the grade.
    const mom = await w.actor(w.g.anDungMom);
    expect((await h.service.rsvp(mom, id, w.s.an, "yes", "", "ev-r1")).status).toBe("recorded");
    expect((await h.service.rsvp(mom, id, w.s.dung, "no", "trùng lịch", "ev-r2")).status).toBe("recorded");
    expect(await h.service.rsvp(await w.actor(w.g.emMom), id, w.s.em, "yes", "", "ev-r3")).toEqual({ status: "not-found" });
    const tally = (await h.service.tally(await w.actor(w.g.principal), id))!;
    expect(tally.meeting).toMatchObject({ scope: "grade", scopeName: "6" });
    expect(tally.rows.map((r) => [r.studentName, r.answer])).toEqual([
      ["Nguyễn Văn An", "yes"], ["Trần Thị Bình", "none"], ["Lê Văn Cường", "none"], ["Nguyễn Thu Dung", "no"], ["Đỗ Minh Khoa", "none"],
    ]); // Vietnamese order: by given name
    // Reminders, likewise, once per guardian.
    const job = (await h.reminderQueue().getJobs(["delayed"]))[0]!;
    expect(await h.service.runReminder(job.data)).toBe("sent");
    const reminded = (await h.deliveries(`mrem-${id}-v${job.data.version}`)).map((d) => d.identityId).sort();
    expect(reminded).toEqual([w.g.anDungMom, w.g.binhDad, w.g.cuongMom, w.g.cuongDad].sort()); // Dung's "no" does not stop An's reminder

    // A reschedule, likewise: the mother of two gets one notice with each child's answer so far.
    expect(await h.service.reschedule(await w.actor(w.g.principal), id, new Date("2026-09-26T01:00:00Z"))).toMatchObject({ status: "ok", households: 4 });
    const moved = await h.deliveries(`mchg-${id}-v${job.data.version + 1}`);
    expect(moved.map((d) => d.identityId).sort()).toEqual([w.g.anDungMom, w.g.binhDad, w.g.cuongMom, w.g.cuongDad].sort());
    const toMom = moved.find((d) => d.identityId === w.g.anDungMom)!;
    const text = new Translator().render("vi", toMom.first);
    expect(text.kind === "text" && text.text).toMatch(/^Kính gửi Quý phụ huynh các em Nguyễn Văn An, Nguyễn Thu Dung, .*• Em Nguyễn Văn An: Tham dự\n• Em Nguyễn Thu Dung: Không tham dự\n/s);
    expect(toMom.first.buttons!.flat().map((b) => b.payload)).toEqual(
      [rsvpAllPayload(id, [w.s.an, w.s.dung]), ...[w.s.an, w.s.dung].flatMap((s) => (["yes", "no", "other"] as const).map((a) => rsvpPayload(id, s, a)))]);
  });

  it("a whole-school meeting invites every current class once per guardian, and a homeroom teacher may not create one", async () => {
    const teacher = await w.actor(w.g.teacher6a1);
    expect(await h.service.create(teacher, { schoolId: w.schoolId, scope: { kind: "school" }, kind: "other", startsAt: new Date("2026-09-19T01:00:00Z"), place: "x", agenda: "y" }, "ev-t"))
      .toEqual({ status: "forbidden" });
    const { id, households } = await createAndAgree({ kind: "school" }, "ev-school");
    expect(households).toBe(5);
    const got = await invited(id);
    expect(got).toHaveLength(5);
    expect(new Set(got.map((i) => i.identityId)).size).toBe(5);
    expect(new Set(got.flatMap((i) => i.students.split(", ")))).toEqual(new Set(["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Nguyễn Thu Dung", "Phạm Văn Em"]));
    expect(got.some((i) => i.identityId === w.g.oldMom)).toBe(false);
  });
});
