import { describe, it, expect } from "vitest";
import { DEFAULT_LADDER, formatLadder, parseLadder, parseQuietWindow, planReminders } from "../../src/domain/meeting-reminders.js";
import { formatDateTime } from "../../src/domain/time.js";

const local = (iso: string) => new Date(`${iso}+07:00`);

describe("per-school reminder ladder and quiet hours as typed by an admin", () => {
  it("reads the default ladder from its typed form and writes it back the same", () => {
    expect(parseLadder("3d@19:00,1d@19:00,2h")).toEqual(DEFAULT_LADDER);
    expect(parseLadder(" 3D@19:00 , 1d@19:00, 120m ")).toEqual(DEFAULT_LADDER);
    expect(formatLadder(DEFAULT_LADDER)).toBe("3d@19:00,1d@19:00,2h");
    expect(formatLadder(parseLadder("2d@7:30,90m")!)).toBe("2d@07:30,90m");
  });

  it.each([["", "empty"], ["3d@25:00", "impossible time"], ["3d", "day rung without a time"], ["0h", "zero"], ["2h,120m", "the same rung twice"],
    ["1d@19:00,2d@19:00,3d@19:00,4d@19:00,5d@19:00,6d@19:00,7d@19:00", "more than six rungs"], ["2 giờ", "words"]])("refuses %j (%s)", (text) => {
    expect(parseLadder(text)).toBeUndefined();
  });

  it("reads quiet hours, refusing malformed or empty windows", () => {
    expect(parseQuietWindow("21:00-06:30")).toEqual({ start: 21 * 60, end: 6 * 60 + 30, sundays: false });
    expect(parseQuietWindow("22:00 - 7:00")).toEqual({ start: 22 * 60, end: 7 * 60, sundays: false });
    expect(parseQuietWindow("21h-6h30")).toBeUndefined();
    expect(parseQuietWindow("25:00-06:00")).toBeUndefined();
    expect(parseQuietWindow("21:00-21:00")).toBeUndefined();
  });

  it("treats the rung closest to the meeting as the last one (allowed in quiet hours), whatever order it was typed in", () => {
    const plan = planReminders(local("2026-09-19T07:30:00"), local("2026-09-01T09:00:00"), parseLadder("90m,1d@22:00,2d@18:00")!, { start: 21 * 60, end: 6 * 60 + 30, sundays: false });
    expect(plan.map((p) => `${p.offset} ${formatDateTime(p.at, "vi")}`)).toEqual([
      "d2-1800 Thứ Năm, 17/09/2026 lúc 18:00",
      "m90 Thứ Bảy, 19/09/2026 lúc 06:00",
    ]);
  });
});
