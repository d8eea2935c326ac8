import { describe, expect, it } from "vitest";
import { finalGradeOf, isNamingRule, nextClassName, nextYearName } from "../../src/domain/year-rollover.js";

describe("year rollover rules", () => {
  it("moves a class up a grade keeping the school's own spelling by default", () => {
    expect(nextClassName("6A1")).toBe("7A1");
    expect(nextClassName("10a2")).toBe("11a2");
    expect(nextClassName("6/1")).toBe("7/1");
    expect(nextClassName("Lớp 9D6")).toBe("10D6");
    expect(nextClassName("Lá 1")).toBeUndefined();
  });

  it("follows a school's naming rule", () => {
    expect(nextClassName("6a1", "{grade}{SUFFIX}")).toBe("7A1");
    expect(nextClassName("6A1", "{grade}/{n}")).toBe("7/1");
    // A rule that does not name the grade is not a rule: the default applies.
    expect(isNamingRule("A{suffix}")).toBe(false);
    expect(isNamingRule("{grade}{oops}")).toBe(false);
    expect(nextClassName("6A1", "A{suffix}")).toBe("7A1");
  });

  it("knows the final grade by the school's level and the next year's name", () => {
    expect([finalGradeOf([1, 3, 5]), finalGradeOf([6, 9]), finalGradeOf([10, 11, 12]), finalGradeOf([])]).toEqual([5, 9, 12, 5]);
    expect(nextYearName("2025-2026")).toBe("2026-2027");
    expect(nextYearName("2025-2027")).toBeUndefined();
  });
});
