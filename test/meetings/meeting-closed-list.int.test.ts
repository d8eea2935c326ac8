import { describe, it, expect } from "vitest";
import { useMeetingWorld } from "./support/service-harness.js";

describe("cancelled meetings stay in the organizer's list for 30 days, marked", () => {
  const { h, world } = useMeetingWorld("meet-closed-list");

  it("lists a cancelled meeting as cancelled until 30 days after the cancellation; its old RSVP buttons learn it was cancelled", async () => {
    const teacher = await world.actor(world.identities.teacher);
    const created = await h.service.create(teacher, world.classMeeting(), "ev-create");
    const id = created.status === "published" ? created.meeting.id : "";
    expect(await h.service.cancel(teacher, id, "trùng lịch")).toMatchObject({ status: "ok" });

    expect((await h.service.listOrganized(teacher)).map((m) => [m.id, m.status])).toEqual([[id, "cancelled"]]);
    const rsvp = await h.service.rsvp(await world.actor(world.identities.anMom), id, world.students.an, "yes", "", "ev-late");
    expect(rsvp).toMatchObject({ status: "closed", meeting: { status: "cancelled" } });

    h.clock.advance(29 * 86_400_000);
    expect((await h.service.listOrganized(teacher)).map((m) => m.id)).toEqual([id]);
    h.clock.advance(2 * 86_400_000);
    expect(await h.service.listOrganized(teacher)).toEqual([]);
  });
});
