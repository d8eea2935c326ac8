import { describe, it, expect } from "vitest";
import { runCli } from "../../src/app/cli.js";
import { useConcernHarness } from "./support/concern-harness.js";

const hn = (local: string) => new Date(`${local}+07:00`);

describe("the school calendar of the concern clocks, per school and year, edited with the admin CLI", () => {
  const h = useConcernHarness("concern-cal", { at: hn("2026-09-14T10:00:00"), outbox: "recording" }); // Monday
  const { clock, config } = h;
  const cli = async (...argv: string[]) => {
    const lines: string[] = [];
    const code = await runCli(argv, config, h.db, (l) => lines.push(l));
    return { code, out: lines.length ? JSON.parse(lines.join("\n")) : undefined };
  };
  const calendar = (...flags: string[]) => cli("concerns", "calendar", "--school", h.world.schoolId, ...flags);
  const raise = async () => {
    const r = await h.service.create(await h.world.actor("anMom"), { studentId: h.world.students.an, category: "study", text: "Con bị điểm kém môn Toán mà không rõ lý do" }, `ev-${Math.random()}`);
    if (r.status !== "created") throw new Error(r.status);
    return r;
  };

  it("shows the defaults, stores days, hours, holidays and targets for the year, and the clocks of that year's tickets follow them", async () => {
    expect((await calendar()).out).toEqual({
      school: h.world.schoolId, year: "2026-2027", source: "default", days: "mon-fri", hours: "07:00-17:00", holidays: [],
      firstResponseHours: 8, resolutionDays: 3, escalateTo: "principal",
    });
    const set = await calendar("--days", "mon-sat", "--hours", "07:00-11:30", "--holiday", "2026-09-15..2026-09-16", "--first-response-hours", "4", "--resolution-days", "2");
    expect(set.code).toBe(0);
    expect(set.out).toMatchObject({ year: "2026-2027", source: "year", days: "mon-sat", hours: "07:00-11:30", holidays: ["2026-09-15..2026-09-16"], firstResponseHours: 4, resolutionDays: 2 });
    // Only the holidays change: the rest stays.
    expect((await calendar("--holiday", "2026-09-15..2026-09-16", "--holiday", "2026-09-02")).out).toMatchObject({ days: "mon-sat", holidays: ["2026-09-02", "2026-09-15..2026-09-16"] });

    // Monday 10:00: 1.5 h on Monday, Tuesday and Wednesday are holidays, 2.5 h on Thursday.
    const r = await raise();
    expect(r.respondBy).toEqual(hn("2026-09-17T09:30:00"));
    // Two school days of 4.5 h = 9 h: 1.5 Monday + 4.5 Thursday + 3 Friday.
    const ticket = (await h.C.Concern.findById(r.ticket.id).lean())!;
    expect(ticket.resolutionDueAt).toEqual(hn("2026-09-18T10:00:00"));
    expect(ticket.yearName).toBe("2026-2027");
  });

  it("keeps one calendar per year: next year's does not change this year's tickets", async () => {
    const next = await h.db.models.SchoolYear.create({ schoolId: h.world.schoolId, name: "2027-2028" });
    expect((await calendar("--year", "2027-2028", "--first-response-hours", "2", "--days", "mon-sat")).out).toMatchObject({ year: "2027-2028", source: "year", firstResponseHours: 2 });
    expect((await calendar("--year", "2026-2027")).out).toMatchObject({ year: "2026-2027", source: "default", firstResponseHours: 8, days: "mon-fri" });
    // Pupils of this year's classes: the 2026-2027 calendar (defaults): 7 h on Monday, 1 h on Tuesday.
    expect((await raise()).respondBy).toEqual(hn("2026-09-15T08:00:00"));
    // A class of the next year uses that year's calendar: 2 school hours.
    const cls = await h.db.models.ClassGroup.create({ schoolId: h.world.schoolId, yearId: next._id, name: "7A1", grade: 7 });
    await h.db.models.Student.updateOne({ _id: h.world.students.an }, { $set: { classGroupId: cls._id } });
    await h.db.models.StaffRole.updateOne({ identityId: h.world.identities.teacher }, { $set: { classGroupId: cls._id } });
    const actor = await h.world.actor("anMom");
    const r = await h.service.create(actor, { studentId: h.world.students.an, category: "study", text: "Con chưa có thời khóa biểu năm học mới ạ." }, "ev-next-year");
    expect(r.status === "created" && r.respondBy).toEqual(hn("2026-09-14T12:00:00"));
    expect(await h.C.SchoolCalendar.countDocuments({})).toBe(1);
  });

  it("refuses bad input with an example, and changes nothing", async () => {
    await expect(calendar("--days", "weekdays")).rejects.toThrow(/e\.g\. --days mon-fri/);
    await expect(calendar("--hours", "17:00-07:00")).rejects.toThrow(/e\.g\. --hours 07:00-17:00/);
    await expect(calendar("--holiday", "2027-13-01")).rejects.toThrow(/e\.g\. --holiday 2027-02-10\.\.2027-02-16/);
    await expect(calendar("--first-response-hours", "eight")).rejects.toThrow(/e\.g\. --first-response-hours 8/);
    await expect(calendar("--resolution-days", "0")).rejects.toThrow(/e\.g\. --resolution-days 3/);
    await expect(calendar("--year", "2026")).rejects.toThrow(/like 2026-2027/);
    await expect(calendar("--year", "2030-2031", "--days", "mon-sat")).rejects.toThrow(/no year 2030-2031.*year create/);
    await expect(calendar("--escalate-to", "nobody")).rejects.toThrow(/no staff nobody.*--escalate-to principal/);
    await expect(cli("concerns", "calendar", "--school", "no-such-school")).rejects.toThrow(/no school no-such-school/);
    await expect(cli("concerns", "calendar")).rejects.toThrow(/--school is required/);
    expect(await h.C.SchoolCalendar.countDocuments({})).toBe(0);
  });

  it("--escalate-to a vice-principal sends escalations to her once she is linked; --escalate-to principal goes back", async () => {
    const staff = await h.db.models.Staff.create({ schoolId: h.world.schoolId, fullName: "Phạm Thu Hằng", title: "Cô" });
    expect((await calendar("--escalate-to", staff._id)).out.escalateTo).toEqual({ staffId: staff._id, name: "Phạm Thu Hằng", linked: false });
    const vp = await h.db.models.ChannelIdentity.create({ channel: "telegram", account: "bot", externalUserId: "9004", chatId: "9004", locale: "vi" });
    await h.db.models.StaffRole.create({ identityId: vp._id, staffId: staff._id, schoolId: h.world.schoolId, role: "vice-principal" });
    expect((await calendar()).out.escalateTo).toEqual({ staffId: staff._id, name: "Phạm Thu Hằng", linked: true });

    const r = await raise();
    clock.set(hn("2026-09-14T18:00:00"));
    expect(await h.service.runClock({ concernId: r.ticket.id, kind: "first-response", cycle: 1 })).toBe("escalated");
    expect(h.outbox.keysTo("9004")).toEqual(["concern-escalated-to-principal"]);
    expect(h.outbox.keysTo("9003")).toEqual([]);

    expect((await calendar("--escalate-to", "principal")).out.escalateTo).toBe("principal");
    const other = await raise();
    expect(await h.service.escalate(await h.world.actor("teacher"), other.ticket.id)).toMatchObject({ status: "ok" });
    expect(h.outbox.keysTo("9003")).toEqual(["concern-escalated-to-principal"]);
  });
});
