import { describe, it, expect } from "vitest";
import { useMeetingWorld } from "./support/service-harness.js";
import { rsvpPayload } from "../../src/features/meetings/port.js";
import { Translator } from "../../src/i18n/fluent.js";

describe("a reschedule notice carries the RSVP buttons again and keeps earlier answers", () => {
  const { h, world } = useMeetingWorld("meet-resched");

  it("tells each guardian, per pupil, what the family answered, with buttons to change it; the answers are kept", async () => {
    const teacher = await world.actor(world.identities.teacher);
    const created = await h.service.create(teacher, world.classMeeting(), "ev-create");
    const id = created.status === "published" ? created.meeting.id : "";
    await h.service.rsvp(await world.actor(world.identities.anMom), id, world.students.an, "yes", "", "ev-1");
    await h.service.rsvp(await world.actor(world.identities.binhMom), id, world.students.binh, "no", "đi công tác", "ev-2");

    expect(await h.service.reschedule(teacher, id, new Date("2026-09-26T12:30:00Z"))).toMatchObject({ status: "ok", households: 2 });

    const notices = await h.deliveries(`mchg-${id}-v2`);
    expect(notices.map((d) => [d.identityId, d.first.args!.student, d.first.args!.answer]).sort()).toEqual([
      [world.identities.anDad, "Nguyễn Văn An", "yes"],
      [world.identities.anMom, "Nguyễn Văn An", "yes"],
      [world.identities.binhMom, "Trần Thị Bình", "no"],
    ].sort());
    const toBinhMom = notices.find((d) => d.identityId === world.identities.binhMom)!;
    expect(toBinhMom.first.buttons!.flat().map((b) => b.payload)).toEqual(
      (["yes", "no", "other"] as const).map((a) => rsvpPayload(id, world.students.binh, a)));
    const text = new Translator().render("vi", toBinhMom.first);
    expect(text.kind === "text" && text.text).toMatch(/em Trần Thị Bình.*Thời gian mới: Thứ Bảy, 26\/09\/2026 lúc 19:30.*Gia đình đã trả lời: Không tham dự\. Câu trả lời này vẫn được giữ/s);

    // Earlier answers still count, and a family may change theirs from the notice.
    const tally = (await h.service.tally(teacher, id))!;
    expect(tally.counts).toEqual({ yes: 1, no: 1, other: 0, none: 0, notLinked: 1, blocked: 0 });
    expect(await h.service.rsvp(await world.actor(world.identities.binhMom), id, world.students.binh, "yes", "", "ev-3")).toMatchObject({ status: "recorded", answer: "yes" });
    expect((await h.service.tally(teacher, id))!.counts).toEqual({ yes: 2, no: 0, other: 0, none: 0, notLinked: 1, blocked: 0 });

    // A second reschedule sends a new notice (new version), saying the changed answer.
    await h.service.reschedule(teacher, id, new Date("2026-09-27T01:00:00Z"));
    const second = await h.deliveries(`mchg-${id}-v3`);
    expect(second.find((d) => d.identityId === world.identities.binhMom)!.first.args!.answer).toBe("yes");
  });

  it("a family that has not answered is asked to answer", async () => {
    const teacher = await world.actor(world.identities.teacher);
    const created = await h.service.create(teacher, world.classMeeting({ kind: "other", agenda: "x" }), "ev-create");
    const id = created.status === "published" ? created.meeting.id : "";
    await h.service.reschedule(teacher, id, new Date("2026-09-26T12:30:00Z"));
    const toAnMom = (await h.deliveries(`mchg-${id}-v2`)).find((d) => d.identityId === world.identities.anMom)!;
    expect(toAnMom.first.args!.answer).toBe("none");
    const text = new Translator().render("vi", toAnMom.first);
    expect(text.kind === "text" && text.text).toMatch(/vui lòng cho biết có tham dự không/);
  });
});
