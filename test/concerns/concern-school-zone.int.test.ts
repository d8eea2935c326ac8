/**
 * A school in its own time zone (`School.timeZone` = Asia/Tokyo, two hours ahead of the
 * deployment's Asia/Ho_Chi_Minh): a concern's clocks count the school's own working hours
 * (07:00–17:00 in Tokyo), the escalation fires at that due time, and the messages about it
 * carry the school's zone. Real FerretDB, Redis and BullMQ, fake clock.
 */
import { describe, it, expect } from "vitest";
import { seedConcernWorld, type ConcernWorld } from "./support/concern-fixture.js";
import { useConcernHarness } from "./support/concern-harness.js";

describe("concern clocks in the school's own time zone (real FerretDB, Redis, BullMQ)", () => {
  /** Monday 14/09/2026 09:00 in Hà Nội, 11:00 in Tokyo. */
  const h = useConcernHarness("concern-tz", { at: new Date("2026-09-14T02:00:00Z"), timeZone: "Asia/Ho_Chi_Minh", seed: false });
  const { clock } = h;

  const raise = async (world: ConcernWorld, eventId: string) => {
    const r = await h.service.create(await world.actor("anMom"), { studentId: world.students.an, category: "study", text: "Con bị điểm kém môn Toán" }, eventId);
    if (r.status !== "created") throw new Error(r.status);
    return r;
  };
  const firstResponseDelay = async (ticketId: string) => (await h.queue().getJob(`pclk-${ticketId}-first-response-c1`))?.opts.delay;

  it("8 working hours from Monday 11:00 in Tokyo end Tuesday 09:00 in Tokyo, when it escalates; the Hà Nội school's end Monday 17:00 Hà Nội", async () => {
    const tokyo = await seedConcernWorld(h.db.models, { account: "bot" });
    await h.db.models.School.updateOne({ _id: tokyo.schoolId }, { $set: { timeZone: "Asia/Tokyo" } });
    const hanoi = await seedConcernWorld(h.db.models, { account: "bot", userIds: { teacher: "8001", otherTeacher: "8002", principal: "8003", anMom: "8101", binhMom: "8201" } });

    const inTokyo = await raise(tokyo, "ev-tokyo");
    expect(inTokyo.respondBy).toEqual(new Date("2026-09-15T00:00:00Z")); // Tuesday 09:00 in Tokyo
    expect(await firstResponseDelay(inTokyo.ticket.id)).toBe(22 * 3_600_000);
    const inHanoi = await raise(hanoi, "ev-hanoi");
    expect(inHanoi.respondBy).toEqual(new Date("2026-09-14T10:00:00Z")); // Monday 17:00 in Hà Nội
    expect(await firstResponseDelay(inHanoi.ticket.id)).toBe(8 * 3_600_000);

    // The teacher's message shows the due time in the school's zone.
    const toTeacher = await h.db.models.Delivery.findOne({ group: `pa-${inTokyo.ticket.id}`, identityId: tokyo.identities.teacher }).lean();
    expect(toTeacher?.timeZone).toBe("Asia/Tokyo");

    // At Tokyo's Tuesday 09:00 the first-response clock runs out: Ban giám hiệu are told, in Tokyo time.
    clock.set(new Date("2026-09-15T00:00:00Z"));
    expect(await h.service.runClock({ concernId: inTokyo.ticket.id, kind: "first-response", cycle: 1 })).toBe("escalated");
    const toPrincipal = await h.db.models.Delivery.find({ group: `pa-${inTokyo.ticket.id}`, identityId: tokyo.identities.principal }).lean();
    expect(toPrincipal.length).toBeGreaterThan(0);
    expect(toPrincipal.every((d) => d.timeZone === "Asia/Tokyo")).toBe(true);
  });
});
