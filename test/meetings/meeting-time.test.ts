import { describe, it, expect } from "vitest";
import { parseMeetingTime } from "../../src/domain/meeting-time.js";
import { formatDateTime } from "../../src/domain/time.js";
import { FakeClock } from "../support/fakes.js";
import { Translator } from "../../src/i18n/fluent.js";

// Monday 14/09/2026 09:00 in Hà Nội.
const now = new FakeClock(new Date("2026-09-14T02:00:00Z")).now();
const shown = (input: string) => {
  const r = parseMeetingTime(input, now);
  return r.ok ? formatDateTime(r.at, "vi") : r.error;
};

describe("parseMeetingTime", () => {
  it.each([
    ["19/9 19h30", "Thứ Bảy, 19/09/2026 lúc 19:30"],
    ["19/09/2026 7h30 tối", "Thứ Bảy, 19/09/2026 lúc 19:30"],
    ["19/09/2026 7h30 toi", "Thứ Bảy, 19/09/2026 lúc 19:30"],
    ["19/9 lúc 19:30", "Thứ Bảy, 19/09/2026 lúc 19:30"],
    ["ngày 19-9-26 19 giờ 30", "Thứ Bảy, 19/09/2026 lúc 19:30"],
    ["7h30 tối 19/9", "Thứ Bảy, 19/09/2026 lúc 19:30"],
    ["thứ 7 tuần sau 8h", "Thứ Bảy, 26/09/2026 lúc 08:00"],
    ["thu 7 tuan sau 8h", "Thứ Bảy, 26/09/2026 lúc 08:00"],
    ["THỨ BẢY TUẦN TỚI 8H SÁNG", "Thứ Bảy, 26/09/2026 lúc 08:00"],
    ["t7 8h", "Thứ Bảy, 19/09/2026 lúc 08:00"],
    ["chủ nhật 2h chiều", "Chủ Nhật, 20/09/2026 lúc 14:00"],
    ["chu nhat 2h chieu", "Chủ Nhật, 20/09/2026 lúc 14:00"],
    ["tối thứ 6 7h30", "Thứ Sáu, 18/09/2026 lúc 19:30"],
    ["ngày mai 19h", "Thứ Ba, 15/09/2026 lúc 19:00"],
    ["mai 19h", "Thứ Ba, 15/09/2026 lúc 19:00"],
    ["22h tối nay", "Thứ Hai, 14/09/2026 lúc 22:00"],
    ["7h30 toi nay", "Thứ Hai, 14/09/2026 lúc 19:30"],
    ["chiều nay 3h", "Thứ Hai, 14/09/2026 lúc 15:00"],
    ["hôm nay 17h", "Thứ Hai, 14/09/2026 lúc 17:00"],
    // The English prompts' own examples, and English as people type it.
    ["next Friday 17h", "Thứ Sáu, 25/09/2026 lúc 17:00"],
    ["next saturday 7pm", "Thứ Bảy, 26/09/2026 lúc 19:00"],
    ["Saturday 7:30 PM", "Thứ Bảy, 19/09/2026 lúc 19:30"],
    ["tomorrow at 7am", "Thứ Ba, 15/09/2026 lúc 07:00"],
    ["tonight 8pm", "Thứ Hai, 14/09/2026 lúc 20:00"],
    ["on 19/9 at 12pm", "Thứ Bảy, 19/09/2026 lúc 12:00"],
    ["10/1 8h", "Chủ Nhật, 10/01/2027 lúc 08:00"],
  ])("reads %j as %s", (input, expected) => {
    expect(shown(input)).toBe(expected);
  });

  it("stores the instant in UTC (19:30 in Hà Nội is 12:30 UTC)", () => {
    const r = parseMeetingTime("19/9 19h30", now);
    expect(r.ok && r.at.toISOString()).toBe("2026-09-19T12:30:00.000Z");
  });

  it.each([
    ["31/02 19h", "impossible-date"],
    ["31/02/2027 19h", "impossible-date"],
    ["19h30", "no-date"],
    ["19/9", "no-time"],
    ["13/9/2026 19h", "past"],
    ["hôm nay 8h", "past"],
    ["19/9 25h", "impossible-time"],
    ["hop phu huynh", "unrecognized"],
  ])("refuses %j with %s", (input, error) => {
    expect(parseMeetingTime(input, now)).toEqual({ ok: false, error });
  });

  it("reads a weekday without 'next week' as the coming one, today only while the time is ahead", () => {
    expect(shown("thứ 2 19h")).toBe("Thứ Hai, 14/09/2026 lúc 19:00");
    expect(shown("thứ 2 8h")).toBe("Thứ Hai, 21/09/2026 lúc 08:00");
  });
});

describe("the examples the prompts give", () => {
  const t = new Translator();
  const keys = ["meeting-ask-when", "meeting-ask-new-when", "meeting-when-past", "meeting-when-unrecognized", "notice-ask-deadline", "notice-ask-send-at", "poll-ask-deadline", "opinion-ask-deadline"] as const;
  it.each(["vi", "en"] as const)("are all understood in %s (an English prompt once suggested «next Friday 17h» and «tomorrow 7h»)", (locale) => {
    const examples = keys.flatMap((key) => [...t.t(locale, key, {}).matchAll(/"([^"]+)"|«([^»]+)»/g)].map((m) => m[1] ?? m[2]!));
    expect(examples.length).toBeGreaterThan(10);
    for (const example of examples) expect(parseMeetingTime(example, now), example).toMatchObject({ ok: true });
  });
});

