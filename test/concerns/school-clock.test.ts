import { describe, it, expect } from "vitest";
import { FakeClock } from "../support/fakes.js";
import {
  DEFAULT_CALENDAR, addSchoolDays, addSchoolHours, hoursPerDay, isQuiet, isSchoolDay, parseHhmm, quietEnds, schoolHoursBetween, type SchoolCalendar,
} from "../../src/domain/school-clock.js";

/** Wall-clock time in Hà Nội (UTC+7, no daylight saving). */
const hn = (local: string) => new Date(`${local}+07:00`);

describe("school-hours clock", () => {
  // Monday 14/09/2026 is a school day; Saturday 19/09 and Sunday 20/09 are not.
  const clock = new FakeClock(hn("2026-09-14T09:00:00"));

  it("adds school hours within one school day", () => {
    expect(addSchoolHours(DEFAULT_CALENDAR, clock.now(), 8)).toEqual(hn("2026-09-14T17:00:00"));
  });

  it("carries the rest of the hours over to the next school day's opening", () => {
    clock.set(hn("2026-09-14T15:00:00"));
    expect(addSchoolHours(DEFAULT_CALENDAR, clock.now(), 8)).toEqual(hn("2026-09-15T13:00:00"));
  });

  it("skips the weekend: Friday afternoon to Monday", () => {
    clock.set(hn("2026-09-18T16:00:00"));
    expect(addSchoolHours(DEFAULT_CALENDAR, clock.now(), 8)).toEqual(hn("2026-09-21T14:00:00"));
  });

  it("a ticket raised on Saturday night starts counting on Monday morning", () => {
    clock.set(hn("2026-09-19T22:00:00"));
    expect(addSchoolHours(DEFAULT_CALENDAR, clock.now(), 8)).toEqual(hn("2026-09-21T15:00:00"));
    expect(schoolHoursBetween(DEFAULT_CALENDAR, clock.now(), hn("2026-09-21T15:00:00"))).toBe(8);
    expect(schoolHoursBetween(DEFAULT_CALENDAR, clock.now(), hn("2026-09-21T06:59:00"))).toBe(0);
  });

  it("configured holidays pause the clock", () => {
    const cal: SchoolCalendar = { ...DEFAULT_CALENDAR, holidays: ["2026-09-21", "2026-09-22"] };
    clock.set(hn("2026-09-19T22:00:00"));
    expect(isSchoolDay(cal, hn("2026-09-21T10:00:00"))).toBe(false);
    expect(addSchoolHours(cal, clock.now(), 8)).toEqual(hn("2026-09-23T15:00:00"));
  });

  it("quiet hours cut a long school day: the clock does not run after 21:00", () => {
    const cal: SchoolCalendar = { ...DEFAULT_CALENDAR, dayStart: 6 * 60, dayEnd: 22 * 60 };
    clock.set(hn("2026-09-14T20:00:00"));
    // 20:00–21:00 counts; 21:00–22:00 is quiet; Tuesday opens at 06:30, not 06:00.
    expect(addSchoolHours(cal, clock.now(), 2)).toEqual(hn("2026-09-15T07:30:00"));
    expect(hoursPerDay(cal)).toBe(14.5);
  });

  it("Saturday classes count when the school has them, but quiet Sundays never do", () => {
    const cal: SchoolCalendar = { ...DEFAULT_CALENDAR, schoolDays: [0, 1, 2, 3, 4, 5, 6] };
    clock.set(hn("2026-09-19T16:00:00"));
    expect(addSchoolHours(cal, clock.now(), 2)).toEqual(hn("2026-09-21T08:00:00"));
  });

  it("three school days from Monday morning end on Thursday morning", () => {
    expect(addSchoolDays(DEFAULT_CALENDAR, hn("2026-09-14T09:00:00"), 3)).toEqual(hn("2026-09-17T09:00:00"));
  });

  it("quiet hours: 21:00–06:30 and all of Sunday; they end at the next 06:30 that is not a Sunday", () => {
    const q = DEFAULT_CALENDAR.quiet;
    expect(isQuiet(q, hn("2026-09-14T20:59:00"))).toBe(false);
    expect(isQuiet(q, hn("2026-09-14T21:00:00"))).toBe(true);
    expect(isQuiet(q, hn("2026-09-15T06:29:00"))).toBe(true);
    expect(isQuiet(q, hn("2026-09-20T12:00:00"))).toBe(true);
    expect(quietEnds(q, hn("2026-09-14T22:00:00"))).toEqual(hn("2026-09-15T06:30:00"));
    expect(quietEnds(q, hn("2026-09-15T05:00:00"))).toEqual(hn("2026-09-15T06:30:00"));
    expect(quietEnds(q, hn("2026-09-19T22:00:00"))).toEqual(hn("2026-09-21T06:30:00"));
    expect(quietEnds(q, hn("2026-09-14T10:00:00"))).toEqual(hn("2026-09-14T10:00:00"));
  });

  it("reads wall-clock times", () => {
    expect(parseHhmm("6:30")).toBe(390);
    expect(parseHhmm("24:00")).toBeUndefined();
    expect(parseHhmm("abc")).toBeUndefined();
  });
});
