import { describe, it, expect } from "vitest";
import { useMeetingWorld } from "./support/service-harness.js";

describe("a revised draft with a new place", () => {
  const { h, world } = useMeetingWorld("meet-revise", { account: "bot", withBoardHead: true });

  it("goes back to the board with the new place, is audited, and the invitations carry it once agreed", async () => {
    const teacher = await world.actor(world.identities.teacher);
    const head = await world.actor(world.identities.boardHead!);
    const r = await h.service.create(teacher, world.classMeeting({ kind: "end-year", agenda: "Tổng kết" }), "ev-create");
    const id = r.status === "sent-to-board" ? r.meeting.id : "";
    await h.service.boardDecision(head, id, 1, "revise", "Phòng chật, xin đổi sang hội trường");
    expect(await h.service.resubmit(teacher, id, { place: "Hội trường tầng 2" })).toMatchObject({ status: "sent-to-board", meeting: { place: "Hội trường tầng 2", agenda: "Tổng kết" } });
    const requests = await h.deliveries(`mbr-${id}`);
    expect(requests.map((d) => d.first.args!.place)).toEqual(["Phòng 6A1", "Hội trường tầng 2"]);
    const edited = await h.meetings.MeetingAudit.findOne({ meetingId: id, action: "edited" }).lean();
    expect(JSON.parse(edited!.details)).toEqual({ place: "Hội trường tầng 2" });
    expect((await h.service.boardDecision(head, id, 2, "agree", "")).status).toBe("published");
    const invites = await h.deliveries(`minv-${id}`);
    expect(invites.length).toBe(3);
    expect(invites.every((d) => d.first.args!.place === "Hội trường tầng 2")).toBe(true);
  });
});
