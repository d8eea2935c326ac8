import { describe, it, expect } from "vitest";
import { planReminders } from "../../src/domain/meeting-reminders.js";
import { isQuiet, quietEnds, SCHOOL_NIGHT } from "../../src/domain/quiet-hours.js";
import { formatDateTime } from "../../src/domain/time.js";
import { FakeClock } from "../support/fakes.js";

const local = (iso: string) => new Date(`${iso}+07:00`);
const shown = (plan: { offset: string; at: Date }[]) => plan.map((p) => `${p.offset} ${formatDateTime(p.at, "vi")}`);

describe("planReminders", () => {
  it("plans the default ladder: 3 days and 1 day before at 19:00, then 2 hours before", () => {
    const clock = new FakeClock(local("2026-09-14T09:00:00"));
    expect(shown(planReminders(local("2026-09-19T19:30:00"), clock.now()))).toEqual([
      "d3-1900 Thứ Tư, 16/09/2026 lúc 19:00",
      "d1-1900 Thứ Sáu, 18/09/2026 lúc 19:00",
      "m120 Thứ Bảy, 19/09/2026 lúc 17:30",
    ]);
  });

  it("skips reminders whose time has already passed", () => {
    const clock = new FakeClock(local("2026-09-17T08:00:00"));
    expect(planReminders(local("2026-09-19T19:30:00"), clock.now()).map((p) => p.offset)).toEqual(["d1-1900", "m120"]);
    clock.set(local("2026-09-19T18:00:00"));
    expect(planReminders(local("2026-09-19T19:30:00"), clock.now())).toEqual([]);
  });

  it("skips rungs inside quiet hours but keeps the last one even at 05:30", () => {
    const clock = new FakeClock(local("2026-09-01T09:00:00"));
    const plan = planReminders(local("2026-09-19T07:30:00"), clock.now(), [{ daysBefore: 1, at: "22:00" }, { minutesBefore: 120 }]);
    expect(shown(plan)).toEqual(["m120 Thứ Bảy, 19/09/2026 lúc 05:30"]);
  });

  it("never plans a reminder at or after the meeting itself", () => {
    const clock = new FakeClock(local("2026-09-19T08:00:00"));
    expect(planReminders(local("2026-09-19T09:00:00"), clock.now(), [{ daysBefore: 0, at: "19:00" }, { minutesBefore: 30 }]).map((p) => p.offset)).toEqual(["m30"]);
  });

  it("tells the school's night across midnight (the one quiet-hours module)", () => {
    expect(isQuiet(SCHOOL_NIGHT, local("2026-09-19T21:00:00"))).toBe(true);
    expect(isQuiet(SCHOOL_NIGHT, local("2026-09-19T06:29:00"))).toBe(true);
    expect(isQuiet(SCHOOL_NIGHT, local("2026-09-19T06:30:00"))).toBe(false);
    expect(isQuiet(SCHOOL_NIGHT, local("2026-09-19T20:59:00"))).toBe(false);
  });

  it("moves a send inside the night to 06:30, the same night or the next morning (Sunday included)", () => {
    expect(quietEnds(SCHOOL_NIGHT, local("2026-09-19T22:15:00"))).toEqual(local("2026-09-20T06:30:00"));
    expect(quietEnds(SCHOOL_NIGHT, local("2026-09-20T05:00:00"))).toEqual(local("2026-09-20T06:30:00"));
    expect(quietEnds(SCHOOL_NIGHT, local("2026-09-20T12:00:00"))).toEqual(local("2026-09-20T12:00:00"));
  });
});
