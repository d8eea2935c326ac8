/**
 * A reminder that could not be sent is not sent again (a reminder after its time confuses), so
 * the organizer's report says which households the last reminder due to them did not reach —
 * read from the facts that exist: the reminder deliveries' terminal marks (failed, unreachable)
 * and, for a rung whose job failed for good, the absence of any delivery or audit after its time.
 */
import { describe, it, expect } from "vitest";
import { useMeetingWorld } from "./support/service-harness.js";
import { tallySay } from "../../flows/meeting-manage.js";
import { Translator } from "../../src/i18n/fluent.js";
import { createDeliveryRepo, MARK } from "../../src/store/deliveries.js";
import type { Tally } from "../../src/features/meetings/port.js";

describe("a meeting reminder that failed for good shows in the organizer's report", () => {
  const { h, world, publish } = useMeetingWorld("meet-rem-missed");
  const t = new Translator();
  const text = (tally: Tally, locale: "vi" | "en" = "vi") => t.t(locale, tallySay(tally).key, tallySay(tally).args);

  it("failed and unreachable deliveries, then a rung whose job never queued anything; a declined household is left out; a later reminder that arrived makes up for it", async () => {
    h.clock.set(new Date("2026-09-14T03:00:00Z"));
    const { teacher, id } = await publish("ev-rem-missed");
    const tally = async () => (await h.service.tally(teacher, id))!;
    expect((await tally()).remindersMissed).toEqual([]);
    expect(text(await tally())).not.toContain("Nhắc lịch");

    // 16/09 19:00 in Hà Nội: the three-day reminder goes to An's two guardians and Bình's mother.
    h.clock.set(new Date("2026-09-16T12:00:00Z"));
    expect(await h.service.runReminder({ meetingId: id, version: 1, offset: "d3-1900" })).toBe("sent");
    const group = `mrem-${id}-v1`;
    const repo = createDeliveryRepo(h.db.models);
    const delivery = (identityId: string, offset: string) => ({ id: `${group}-${offset}-${identityId}`, group });
    // Still being sent: nobody is reported.
    expect((await tally()).remindersMissed).toEqual([]);
    // An's mother: every attempt failed; An's father blocked the bot. Bình's mother got it.
    const [anMom, anDad, binhMom] = [delivery(world.identities.anMom, "d3-1900"), delivery(world.identities.anDad, "d3-1900"), delivery(world.identities.binhMom, "d3-1900")];
    for (const d of [anMom, anDad, binhMom]) await repo.mark(d, MARK.sending(1));
    await repo.mark(anMom, MARK.failed, "telegram 400: chat not found");
    expect((await tally()).remindersMissed).toEqual([]); // the father's may still arrive
    await repo.mark(anDad, MARK.unreachable, "telegram 403: blocked");
    await repo.mark(binhMom, MARK.sent);
    const one = await tally();
    expect(one.remindersMissed).toEqual(["Nguyễn Văn An"]);
    expect(text(one)).toContain("⚠️ Nhắc lịch: 1 hộ chưa nhận được (Nguyễn Văn An); lời nhắc không được gửi lại sau giờ đã định.");
    expect(text(one, "en")).toContain("⚠️ Meeting reminder: not received by 1 family (Nguyễn Văn An); a reminder is not sent again after its time.");
    const summary = t.t("vi", "meeting-manage-summary", { when: "x", place: "x", kind: "start-year", scope: "class", scopeName: "6A1", status: "published", yes: 0, no: 0, other: 0, none: 2, unreachable: 1, remindersMissed: one.remindersMissed.length });
    expect(summary).toMatch(/Chưa liên lạc được: 1 · ⚠️ Nhắc lịch: 1 hộ chưa nhận được$/);

    // 18/09 19:00: the one-day reminder's job failed for good (it is not retried): nothing was queued, no audit.
    h.clock.set(new Date("2026-09-18T12:10:00Z"));
    expect((await tally()).remindersMissed).toEqual(["Nguyễn Văn An"]); // its job may still be retrying
    h.clock.set(new Date("2026-09-18T12:20:00Z"));
    const two = await tally();
    // Châu has no guardian on the bot: never reminded, and already listed as not linked.
    expect(two.remindersMissed).toEqual(["Nguyễn Văn An", "Trần Thị Bình"]);
    expect(text(two)).toContain("⚠️ Nhắc lịch: 2 hộ chưa nhận được (Nguyễn Văn An, Trần Thị Bình)");
    expect(text(two, "en")).toContain("not received by 2 families (Nguyễn Văn An, Trần Thị Bình)");

    // Bình's mother declines: reminders leave that household out, and so does the report.
    expect((await h.service.rsvp(await world.actor(world.identities.binhMom), id, world.students.binh, "no", "", "ev-binh-no")).status).toBe("recorded");
    expect((await tally()).remindersMissed).toEqual(["Nguyễn Văn An"]);

    // Two hours before: the last reminder reaches An's father, which makes up for the others.
    h.clock.set(new Date("2026-09-19T10:30:00Z"));
    expect(await h.service.runReminder({ meetingId: id, version: 1, offset: "m120" })).toBe("sent");
    const last = delivery(world.identities.anDad, "m120");
    await repo.mark(last, MARK.sending(1));
    expect((await tally()).remindersMissed).toEqual(["Nguyễn Văn An"]);
    await repo.mark(last, MARK.sent);
    const done = await tally();
    expect(done.remindersMissed).toEqual([]);
    expect(text(done)).not.toContain("Nhắc lịch");
  });

  it("a cancelled meeting reports no missed reminder: it reminds nobody", async () => {
    h.clock.set(new Date("2026-09-14T03:00:00Z"));
    const { teacher, id } = await publish("ev-rem-cancel");
    h.clock.set(new Date("2026-09-18T13:00:00Z"));
    expect((await h.service.tally(teacher, id))!.remindersMissed).toEqual(["Nguyễn Văn An", "Trần Thị Bình"]);
    expect((await h.service.cancel(teacher, id, "Trùng lịch")).status).toBe("ok");
    expect((await h.service.tally(teacher, id))!.remindersMissed).toEqual([]);
  });
});
