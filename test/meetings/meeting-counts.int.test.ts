/**
 * The meeting tally partitions the households (issue 10, item 3): the answers, "no answer" only
 * among the households the invitation could reach, and apart the ones never linked and the ones
 * whose guardians cannot be reached — and a nudge reminds exactly the "no answer" households.
 */
import { describe, it, expect } from "vitest";
import { useMeetingWorld } from "./support/service-harness.js";
import { tallySay } from "../../flows/meeting-manage.js";
import { Translator } from "../../src/i18n/fluent.js";

describe("the meeting tally's counts agree with what the bot does", () => {
  const { h, world, publish } = useMeetingWorld("meet-counts");

  it("An answered, Bình's only guardian blocked the bot, Châu has nobody linked: 'no answer' is 0 and the nudge reminds 0", async () => {
    h.clock.set(new Date("2026-09-14T03:00:00Z"));
    const { teacher, id } = await publish("ev-counts");
    expect(await h.service.rsvp(await world.actor(world.identities.anMom), id, world.students.an, "yes", "", "ev-an")).toMatchObject({ status: "recorded" });
    await h.db.models.ChannelIdentity.updateOne({ _id: world.identities.binhMom }, { $set: { reachable: false } });

    const tally = (await h.service.tally(teacher, id))!;
    expect(tally.counts).toEqual({ yes: 1, no: 0, other: 0, none: 0, notLinked: 1, blocked: 1 });
    const text = new Translator().t("vi", tallySay(tally).key, tallySay(tally).args);
    expect(text).toContain("Chưa trả lời (0): —");
    expect(text).toMatch(/Chưa liên kết với bot.*\(1\): Lê Minh Châu/);
    expect(text).toMatch(/Không liên lạc được.*\(1\): Trần Thị Bình/);
    expect(await h.service.nudge(teacher, id)).toEqual({ status: "sent", households: tally.counts.none });

    // Bình's guardian comes back: one household without an answer, and the nudge (tomorrow) reminds that one.
    await h.db.models.ChannelIdentity.updateOne({ _id: world.identities.binhMom }, { $set: { reachable: true } });
    const again = (await h.service.tally(teacher, id))!;
    expect(again.counts).toEqual({ yes: 1, no: 0, other: 0, none: 1, notLinked: 1, blocked: 0 });
    h.clock.set(new Date("2026-09-15T03:00:00Z"));
    expect(await h.service.nudge(teacher, id)).toEqual({ status: "sent", households: again.counts.none });
  });
});
