/**
 * The petition invitation once per guardian (issue 12): a signature is per pupil (each pupil is
 * one household of the class), so Bình's mother, also Châu's guardian, gets one invitation with
 * a sign button per child, and each button signs for its own child. *Cả 2 con: tham dự* under
 * her invitation records each child's answer as its own fact, and tells each other guardian once,
 * naming the children of theirs it answered for.
 */
import { describe, it, expect } from "vitest";
import { useMeetingWorld } from "./support/service-harness.js";
import { childrenDigest } from "../../src/features/meetings/port.js";

describe("a guardian of two pupils of the class gets one petition invitation", () => {
  const { h, world } = useMeetingWorld("meet-guardian-pet");

  it("one invitation naming both, a sign button per child, and each signature counted for its pupil", async () => {
    await h.db.models.GuardianLink.create({ identityId: world.identities.binhMom, studentId: world.students.chau, schoolId: world.schoolId });
    const started = await h.service.startPetition(await world.actor(world.identities.anMom), world.students.an, "Nhiều bạn bị bắt nạt", "ev-pet");
    if (started.status !== "signed") throw new Error(started.status);
    const invites = await h.deliveries(`mpi-${started.petitionId}`);
    expect(invites.map((d) => [d._id, d.identityId])).toEqual([[`mpi-${started.petitionId}-g-${world.identities.binhMom}`, world.identities.binhMom]]);
    expect(invites[0]!.first).toMatchObject({ key: "meeting-petition-invite-children", args: { students: "Trần Thị Bình, Lê Minh Châu" } });
    const payloads = invites[0]!.first.buttons!.flat().map((b) => b.payload);
    expect(payloads).toEqual([`mp-${started.petitionId}-${world.students.binh}`, `mp-${started.petitionId}-${world.students.chau}`]);

    // Each button (as flows/meeting-petition.ts reads it) signs for its own pupil: 2, then 3 of the class's 3 households.
    const mom = await world.actor(world.identities.binhMom);
    const sign = (payload: string) => h.service.signPetition(mom, /^mp-(p[a-z0-9]+)-(.+)$/.exec(payload)![1]!, /^mp-(p[a-z0-9]+)-(.+)$/.exec(payload)![2]!);
    expect(await sign(payloads[0]!)).toMatchObject({ status: "signed", signatures: 2, households: 3, reached: true });
    expect(await sign(payloads[1]!)).toMatchObject({ status: "signed", signatures: 3, households: 3 });
    expect(await sign(payloads[1]!)).toMatchObject({ status: "already-signed", signatures: 3 });
    expect((await h.meetings.MeetingPetitionSignature.find({ petitionId: started.petitionId }).lean()).map((s) => s.studentId).sort())
      .toEqual([world.students.an, world.students.binh, world.students.chau].sort());
  });

  it("*Cả 2 con: tham dự* records each pupil's answer as its own fact: a replay adds nothing, a concurrent answer of another guardian is kept, and the latest answer decides per pupil", async () => {
    await h.db.models.GuardianLink.create({ identityId: world.identities.binhMom, studentId: world.students.chau, schoolId: world.schoolId });
    await h.db.models.GuardianLink.create({ identityId: world.identities.anDad, studentId: world.students.chau, schoolId: world.schoolId }); // Châu's second guardian
    const teacher = await world.actor(world.identities.teacher);
    const created = await h.service.create(teacher, world.classMeeting(), "ev-all");
    if (created.status !== "published") throw new Error(created.status);
    const id = created.meeting.id;
    const both = childrenDigest([world.students.binh, world.students.chau]);
    const mom = await world.actor(world.identities.binhMom);
    const dad = await world.actor(world.identities.anDad);
    const facts = async (studentId: string) => (await h.meetings.MeetingRsvp.find({ meetingId: id, studentId }).sort({ seq: 1 }).lean()).map((a) => [a.answer, a.answeredBy]);

    // Her press and his answer for Châu at the same moment: both are kept, one after the other.
    const [all, single] = await Promise.all([h.service.rsvpAll(mom, id, both, "yes", "ev-press"), h.service.rsvp(dad, id, world.students.chau, "no", "", "ev-dad")]);
    expect(all).toMatchObject({ status: "recorded", answer: "yes" });
    expect((all as { studentNames: string[] }).studentNames.sort()).toEqual(["Lê Minh Châu", "Trần Thị Bình"]);
    expect(single).toMatchObject({ status: "recorded" });
    expect(await facts(world.students.binh)).toEqual([["yes", world.identities.binhMom]]);
    expect((await facts(world.students.chau)).sort()).toEqual([["no", world.identities.anDad], ["yes", world.identities.binhMom]].sort());
    // The same press again (a retried update): nothing more is recorded.
    expect(await h.service.rsvpAll(mom, id, both, "yes", "ev-press")).toMatchObject({ status: "recorded" });
    expect(await facts(world.students.binh)).toHaveLength(1);
    expect(await facts(world.students.chau)).toHaveLength(2);
    // The tally: each pupil by its own latest answer.
    const latestChau = (await facts(world.students.chau)).at(-1)![0];
    expect(Object.fromEntries((await h.service.tally(teacher, id))!.rows.map((r) => [r.studentName, r.answer]))).toEqual({ "Nguyễn Văn An": "none", "Trần Thị Bình": "yes", "Lê Minh Châu": latestChau });
    // Châu's other guardian is told of her answer for Châu.
    expect((await h.deliveries(`mra-${id}`)).filter((d) => d.identityId === world.identities.anDad).map((d) => d.first.args!.student)).toContain("Lê Minh Châu");
  });

  it("after *Cả 2 con: tham dự* each other guardian gets one message naming the children of theirs answered for, once however often the press is replayed", async () => {
    const link = (identityId: string, studentId: string) => h.db.models.GuardianLink.create({ identityId, studentId, schoolId: world.schoolId });
    await link(world.identities.binhMom, world.students.chau);
    // Their father: Bình's guardian on Telegram, Châu's on the Zalo Bot, one person paired through /kenh.
    const dadZalo = (await h.db.models.ChannelIdentity.create({ channel: "zalo-bot", account: "zb-1", externalUserId: "dad-zalo", chatId: "dad-zalo", locale: "vi" }))._id;
    const dadTelegram = world.identities.anDad;
    await h.db.models.PersonLink.create({ _id: dadTelegram, personId: dadTelegram, at: new Date("2026-09-01T00:00:00Z") });
    await h.db.models.PersonLink.create({ _id: dadZalo, personId: dadTelegram, at: new Date("2026-09-02T00:00:00Z") });
    await link(dadTelegram, world.students.binh);
    await link(dadZalo, world.students.chau);
    await link(world.identities.anMom, world.students.chau); // a guardian of Châu only
    const teacher = await world.actor(world.identities.teacher);
    const created = await h.service.create(teacher, world.classMeeting(), "ev-co");
    if (created.status !== "published") throw new Error(created.status);
    const id = created.meeting.id;
    const mom = await world.actor(world.identities.binhMom);
    const both = childrenDigest([world.students.binh, world.students.chau]);

    expect(await h.service.rsvpAll(mom, id, both, "yes", "ev-both")).toMatchObject({ status: "recorded" });
    const told = async () => (await h.deliveries(`mra-${id}`)).map((d) => ({ to: d.identityId, key: d.first.key, args: d.first.args }));
    const dad = (await told()).filter((d) => d.to === dadTelegram || d.to === dadZalo);
    expect(dad).toHaveLength(1);
    expect(dad[0]).toMatchObject({ key: "meeting-rsvp-by-other-children", args: { answer: "yes" } });
    expect(String(dad[0]!.args!.students).split(", ").sort()).toEqual(["Lê Minh Châu", "Trần Thị Bình"]);
    // Châu's other guardian hears of Châu only, in the one-child message as it always read.
    expect((await told()).filter((d) => d.to === world.identities.anMom)).toEqual([
      { to: world.identities.anMom, key: "meeting-rsvp-by-other", args: expect.objectContaining({ student: "Lê Minh Châu", answer: "yes" }) }]);
    // Nobody tells the mother of her own answer.
    expect((await told()).map((d) => d.to)).not.toContain(world.identities.binhMom);
    expect(await h.db.models.Delivery.countDocuments({ group: `mra-${id}` })).toBe(2);

    // The same press again (a retried update): each child's answer is still one fact, and nobody is told twice.
    expect(await h.service.rsvpAll(mom, id, both, "yes", "ev-both")).toMatchObject({ status: "recorded" });
    expect((await h.meetings.MeetingRsvp.find({ meetingId: id }).lean()).map((a) => [a.studentId, a.eventId]).sort())
      .toEqual([[world.students.binh, `ev-both#${world.students.binh}`], [world.students.chau, `ev-both#${world.students.chau}`]].sort());
    expect(await h.db.models.Delivery.countDocuments({ group: `mra-${id}` })).toBe(2);
  });

  it("the button answers only for the children its message named: a nudge naming one child has none, and a set that changed is refused", async () => {
    await h.db.models.GuardianLink.create({ identityId: world.identities.binhMom, studentId: world.students.chau, schoolId: world.schoolId });
    const teacher = await world.actor(world.identities.teacher);
    const created = await h.service.create(teacher, world.classMeeting(), "ev-subset");
    if (created.status !== "published") throw new Error(created.status);
    const id = created.meeting.id;
    const mom = await world.actor(world.identities.binhMom);
    expect(await h.service.rsvp(mom, id, world.students.binh, "no", "", "ev-binh")).toMatchObject({ status: "recorded" });
    // The nudge names Châu only (Bình answered): the one-child message, without the button for both.
    await h.service.nudge(teacher, id);
    const nudge = (await h.deliveries(`mnud-${id}-2026-09-14`)).find((d) => d.identityId === world.identities.binhMom)!;
    expect(nudge.first).toMatchObject({ key: "meeting-nudge", args: { student: "Lê Minh Châu" } });
    expect(nudge.first.buttons!.flat().map((b) => b.payload).some((p) => p.startsWith("mrall-"))).toBe(false);
    // A set she is not (or no longer) the guardian of both of: refused, nothing recorded.
    expect(await h.service.rsvpAll(mom, id, childrenDigest([world.students.binh, world.students.an]), "yes", "ev-x")).toEqual({ status: "stale" });
    await h.db.models.GuardianLink.deleteOne({ identityId: world.identities.binhMom, studentId: world.students.chau });
    expect(await h.service.rsvpAll(await world.actor(world.identities.binhMom), id, childrenDigest([world.students.binh, world.students.chau]), "yes", "ev-y")).toEqual({ status: "stale" });
    expect(await h.meetings.MeetingRsvp.countDocuments({ meetingId: id })).toBe(1);
    expect(await h.service.rsvpAll(mom, "mnothere", childrenDigest([world.students.binh, world.students.chau]), "yes", "ev-z")).toEqual({ status: "not-found" });
  });
});
