/**
 * The petition invitation once per guardian (issue 12): a signature is per pupil (each pupil is
 * one household of the class), so Bình's mother, also Châu's guardian, gets one invitation with
 * a sign button per child, and each button signs for its own child.
 */
import { describe, it, expect } from "vitest";
import { useMeetingWorld } from "./support/service-harness.js";

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
});
