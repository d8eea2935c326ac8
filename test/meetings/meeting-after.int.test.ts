import { describe, it, expect } from "vitest";
import { useMeetingWorld } from "./support/service-harness.js";
import { meetingEraser } from "../../src/features/meetings/index.js";
import { createPrivacy } from "../../src/features/linking/index.js";

describe("after the meeting: attendance, minutes with an opinion invitation, opinions, CSV, erasure", () => {
  const { h, world } = useMeetingWorld("meet-after");

  const heldMeeting = async (attendance?: { absent: string[] }) => {
    const teacher = await world.actor(world.identities.teacher);
    const r = await h.service.create(teacher, world.classMeeting({ kind: "end-semester-1", agenda: "Tổng kết học kỳ" }), `ev-${Math.random()}`);
    if (r.status !== "published") throw new Error(r.status);
    const binhMom = await world.actor(world.identities.binhMom);
    await h.service.rsvp(binhMom, r.meeting.id, world.students.binh, "no", "đi công tác", "ev-rsvp-binh");
    h.clock.set(new Date("2026-09-19T14:00:00Z")); // 21:00 the same evening, after the meeting
    const held = await h.service.markHeld(teacher, r.meeting.id, "Đã bầu Ban đại diện; quỹ lớp giữ nguyên.", attendance);
    expect(held).toMatchObject({ status: "ok", households: 2 });
    return { teacher, id: r.meeting.id };
  };

  it("records one attendance fact per pupil: everyone present except the numbers given", async () => {
    const { teacher, id } = await heldMeeting({ absent: [world.students.binh, "not-a-pupil-of-this-class"] });
    const marks = await h.meetings.MeetingAttendance.find({ meetingId: id }).lean();
    expect(marks.map((m) => [m.studentId, m.present]).sort()).toEqual([[world.students.an, true], [world.students.binh, false], [world.students.chau, true]].sort());
    const sheet = (await h.service.attendanceSheet(teacher, id))!;
    expect(sheet.students.map((s) => [s.studentName, s.answer, s.present])).toEqual([
      ["Nguyễn Văn An", "none", true], ["Trần Thị Bình", "no", false], ["Lê Minh Châu", "none", true],
    ]);
    const trail = await h.meetings.MeetingAudit.findOne({ meetingId: id, action: "held" }).lean();
    expect(JSON.parse(trail!.details)).toMatchObject({ present: 2, absent: 1 });
  });

  it("marking held without attendance records none, and the meeting stays in the organizer's list", async () => {
    const { teacher, id } = await heldMeeting();
    expect(await h.meetings.MeetingAttendance.countDocuments({ meetingId: id })).toBe(0);
    expect((await h.service.listOrganized(teacher)).map((m) => [m.id, m.status])).toEqual([[id, "held"]]);
    h.clock.advance(61 * 86_400_000);
    expect(await h.service.listOrganized(teacher)).toEqual([]);
  });

  it("every guardian gets the minutes once, with one opinion button per pupil of theirs, after quiet hours", async () => {
    const { id } = await heldMeeting();
    const minutes = await h.deliveries(`mmin-${id}`);
    expect(minutes.map((d) => d.identityId).sort()).toEqual([world.identities.anMom, world.identities.anDad, world.identities.binhMom].sort());
    const toBinhMom = minutes.find((d) => d.identityId === world.identities.binhMom)!;
    expect(toBinhMom.first.key).toBe("meeting-minutes");
    expect(toBinhMom.first.args!.minutes).toBe("Đã bầu Ban đại diện; quỹ lớp giữ nguyên.");
    expect(toBinhMom.first.buttons).toEqual([[{ key: "meeting-opinion-button", args: { student: "Trần Thị Bình" }, payload: `mo-${id}-${world.students.binh}` }]]);
    // Marked at 21:00 Hà Nội time: the minutes wait for 06:30.
    const jobs = await h.queues.outbox.getJobs(["delayed"]);
    expect(jobs.filter((j) => minutes.some((d) => d._id === j.data.deliveryId)).map((j) => j.opts.delay)).toEqual([9.5 * 3_600_000, 9.5 * 3_600_000, 9.5 * 3_600_000]);
  });

  it("opinions: one document per message, the pupil's name hidden when anonymous, refused for another family's pupil or before the meeting is held", async () => {
    const teacher = await world.actor(world.identities.teacher);
    const open = await h.service.create(teacher, world.classMeeting({ kind: "other", startsAt: new Date("2026-09-30T12:30:00Z"), agenda: "x" }), "ev-open");
    const anMom = await world.actor(world.identities.anMom);
    expect(await h.service.giveOpinion(anMom, open.status === "published" ? open.meeting.id : "", world.students.an, "sớm quá", false, "ev-o0")).toEqual({ status: "closed" });

    const { id } = await heldMeeting();
    const binhMom = await world.actor(world.identities.binhMom);
    expect(await h.service.giveOpinion(anMom, id, world.students.an, "Cuộc họp đúng giờ, rõ ràng.", false, "ev-o1")).toEqual({ status: "ok" });
    expect(await h.service.giveOpinion(anMom, id, world.students.an, "Cuộc họp đúng giờ, rõ ràng.", false, "ev-o1")).toEqual({ status: "ok" }); // a redelivered message
    h.clock.advance(60_000);
    expect(await h.service.giveOpinion(binhMom, id, world.students.binh, "Nên gửi tài liệu trước.", true, "ev-o2")).toEqual({ status: "ok" });
    h.clock.advance(60_000);
    expect(await h.service.giveOpinion(binhMom, id, world.students.binh, "Và họp ngắn hơn.", true, "ev-o3")).toEqual({ status: "ok" });
    expect(await h.service.giveOpinion(binhMom, id, world.students.an, "?", false, "ev-o4")).toEqual({ status: "not-found" });

    expect((await h.service.opinions(teacher, id))!.map((o) => [o.studentName, o.text])).toEqual([
      ["Nguyễn Văn An", "Cuộc họp đúng giờ, rõ ràng."], ["", "Nên gửi tài liệu trước."], ["", "Và họp ngắn hơn."],
    ]);
    expect(await h.service.opinions(anMom, id)).toBeUndefined();
  });

  it("the CSV holds the tally, the attendance and the opinions (anonymous ones without a name)", async () => {
    const { teacher, id } = await heldMeeting({ absent: [world.students.binh] });
    await h.service.giveOpinion(await world.actor(world.identities.binhMom), id, world.students.binh, "Nên gửi tài liệu trước.", true, "ev-o2");
    await h.service.giveOpinion(await world.actor(world.identities.anDad), id, world.students.an, "Cảm ơn cô.", false, "ev-o3");
    const csv = (await h.service.exportCsv(teacher, id))!;
    const lines = csv.replace(/^\uFEFF/, "").trim().split("\n");
    expect(lines).toEqual([
      "section,student,answer,reason_or_question,at",
      "rsvp,Nguyễn Văn An,none,,",
      "rsvp,Trần Thị Bình,no,đi công tác,",
      "rsvp,Lê Minh Châu,none,,",
      "attendance,Nguyễn Văn An,present,,",
      "attendance,Trần Thị Bình,absent,,",
      "attendance,Lê Minh Châu,present,,",
      "opinion,,,Nên gửi tài liệu trước.,2026-09-19T14:00:00.000Z",
      "opinion,Nguyễn Văn An,,Cảm ơn cô.,2026-09-19T14:00:00.000Z",
    ]);
  });

  it("/xoadulieu deletes the guardian's opinions and questions and removes them as author of RSVPs", async () => {
    const teacher = await world.actor(world.identities.teacher);
    const r = await h.service.create(teacher, world.classMeeting({ kind: "other", agenda: "x" }), "ev-m");
    const id = r.status === "published" ? r.meeting.id : "";
    const binhMom = await world.actor(world.identities.binhMom);
    const anMom = await world.actor(world.identities.anMom);
    await h.service.ask(binhMom, id, world.students.binh, "Câu hỏi?", true, "ev-q");
    await h.service.rsvp(binhMom, id, world.students.binh, "yes", "", "ev-r");
    await h.service.rsvp(anMom, id, world.students.an, "yes", "", "ev-r2");
    h.clock.set(new Date("2026-09-19T14:00:00Z"));
    await h.service.markHeld(teacher, id, "Biên bản", { absent: [] });
    await h.service.giveOpinion(binhMom, id, world.students.binh, "Ý kiến", true, "ev-o");
    await h.service.giveOpinion(anMom, id, world.students.an, "Ý kiến của mẹ An", false, "ev-o2");

    const privacy = createPrivacy(h.db.models, [meetingEraser(h.meetings, h.db.models)]);
    const { deleted } = await privacy.forget({ channel: "telegram", account: "bot", userId: "9201", chatId: "9201" }, "ev-forget");
    expect(deleted).toMatchObject({ meetingQuestions: 1, meetingOpinions: 1 });
    expect(await h.meetings.MeetingOpinion.find({ meetingId: id }).lean()).toMatchObject([{ givenBy: world.identities.anMom, text: "Ý kiến của mẹ An" }]);
    expect(await h.meetings.MeetingQuestion.countDocuments({ meetingId: id })).toBe(0);
    // The household's answer stays (it is the class's record), but no longer names who gave it.
    expect((await h.meetings.MeetingRsvp.findById(`${id}-${world.students.binh}-1`).lean())!.answeredBy).toBe("erased");
    expect((await h.meetings.MeetingRsvp.findById(`${id}-${world.students.an}-1`).lean())!.answeredBy).toBe(world.identities.anMom);
    expect(await h.meetings.MeetingRsvp.countDocuments({ answeredBy: world.identities.binhMom })).toBe(0);
    expect(await h.meetings.MeetingAudit.countDocuments({ actor: world.identities.binhMom })).toBe(0);
  });
});
