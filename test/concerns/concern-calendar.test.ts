import { describe, it, expect } from "vitest";
import {
  CalendarInputError, formatHolidays, formatSchoolDays, isYearName, parseBounded, parseHolidays, parseSchoolDays, parseSchoolHours,
} from "../../src/domain/concern-calendar.js";

describe("reading a school calendar typed by an admin", () => {
  it("reads school days as ranges, lists and Vietnamese day names, and prints them back compactly", () => {
    expect(parseSchoolDays("mon-sat")).toEqual([1, 2, 3, 4, 5, 6]);
    expect(parseSchoolDays("mon,wed,fri")).toEqual([1, 3, 5]);
    expect(parseSchoolDays("t2-t7")).toEqual([1, 2, 3, 4, 5, 6]);
    expect(parseSchoolDays("Monday-Sunday")).toEqual([1, 2, 3, 4, 5, 6, 0]);
    expect(formatSchoolDays([1, 2, 3, 4, 5])).toBe("mon-fri");
    expect(formatSchoolDays([1, 3, 5])).toBe("mon,wed,fri");
    expect(formatSchoolDays([1, 2, 4, 5, 6])).toBe("mon,tue,thu-sat");
  });

  it("refuses unreadable or backwards days with an example", () => {
    expect(() => parseSchoolDays("weekdays")).toThrow(/--days: cannot read "weekdays"; write e.g. --days mon-fri/);
    expect(() => parseSchoolDays("sat-mon")).toThrow(/runs backwards/);
    expect(() => parseSchoolDays(",")).toThrow(CalendarInputError);
  });

  it("reads opening hours of one day and refuses overnight or reversed ones", () => {
    expect(parseSchoolHours("07:00-17:00")).toEqual({ start: 420, end: 1020 });
    expect(parseSchoolHours("6h30-11h30")).toEqual({ start: 390, end: 690 });
    expect(() => parseSchoolHours("17:00-07:00")).toThrow(/e\.g\. --hours 07:00-17:00/);
    expect(() => parseSchoolHours("7 giờ")).toThrow(/--hours/);
  });

  it("expands holiday ranges into dates, merges repeats and prints them back as ranges", () => {
    const dates = parseHolidays(["2027-02-10..2027-02-16", "2026-09-02,2027-02-16"]);
    expect(dates).toHaveLength(8);
    expect(dates[0]).toBe("2026-09-02");
    expect(formatHolidays(dates)).toEqual(["2026-09-02", "2027-02-10..2027-02-16"]);
    expect(parseHolidays(["none"])).toEqual([]);
    expect(() => parseHolidays(["2027-02-30"])).toThrow(/cannot read "2027-02-30"; write e.g. --holiday 2027-02-10\.\.2027-02-16/);
    expect(() => parseHolidays(["2027-02-16..2027-02-10"])).toThrow(/ends before it starts/);
    expect(() => parseHolidays(["2026-06-01..2026-12-31"])).toThrow(/longer than 120 days/);
  });

  it("takes targets as bounded whole numbers and years as 2026-2027", () => {
    expect(parseBounded("first-response-hours", "4", 1, 80, 8)).toBe(4);
    expect(() => parseBounded("first-response-hours", "0", 1, 80, 8)).toThrow(/from 1 to 80, e\.g\. --first-response-hours 8/);
    expect(() => parseBounded("resolution-days", "2.5", 1, 30, 3)).toThrow(/--resolution-days/);
    expect(isYearName("2026-2027")).toBe(true);
    expect(isYearName("2026-2028")).toBe(false);
  });
});
