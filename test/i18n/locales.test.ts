import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { readMessageIds, LOCALES_DIR, Translator } from "../../src/i18n/fluent.js";

describe("locales", () => {
  it("English has exactly the Vietnamese keys (Vietnamese is the source of truth)", () => {
    const vi = readMessageIds("vi").sort();
    const en = readMessageIds("en").sort();
    expect(en.filter((k) => !vi.includes(k))).toEqual([]);
    expect(vi.filter((k) => !en.includes(k))).toEqual([]);
  });

  it("the generated MessageKey type lists every Vietnamese key", () => {
    const keys = readFileSync(join(LOCALES_DIR, "..", "src", "i18n", "keys.ts"), "utf8");
    for (const id of readMessageIds("vi")) expect(keys).toContain(JSON.stringify(id));
  });

  it("every message has a value in both languages (the Translator throws on syntax errors)", () => {
    const t = new Translator();
    for (const id of readMessageIds("vi")) {
      for (const locale of ["vi", "en"] as const) {
        const text = t.t(locale, id as never, { role: "principal", class: "6A1", school: "X", student: "An", name: "Lan", minutes: 15, command: "x", max: 10, length: 11, at: "x", version: "1", channel: "web", language: "vi" });
        expect(text, `${locale}:${id}`).not.toBe(id);
      }
    }
  });

  it("English counts agree with their number: «1 family», «2 families», «1 pupil»; a sentence starts with a capital", () => {
    const t = new Translator();
    const meeting = { kind: "start-of-year", scope: "class", scopeName: "6A1", when: "Saturday, 10/10/2026 at 19:30", attendance: "no" };
    for (const key of ["meeting-published-no-board", "meeting-board-agreed", "meeting-board-agreed-organizer", "meeting-nudged", "meeting-rescheduled-done", "meeting-cancelled-done", "meeting-held-done"] as const) {
      expect(t.t("en", key, { ...meeting, households: 1 }), key).toMatch(/\b1 family\b/);
      expect(t.t("en", key, { ...meeting, households: 2 }), key).toMatch(/\b2 families\b/);
    }
    for (const key of ["notice-sent", "notice-sent-deferred", "notice-renotified"] as const) {
      expect(t.t("en", key, { households: 1, until: "x" }), key).toMatch(/\b1 pupil\b/);
      expect(t.t("en", key, { households: 3, until: "x" }), key).toMatch(/\b3 pupils\b/);
    }
    expect(t.t("en", "meeting-published-no-board", { ...meeting, households: 1 })).toMatch(/^[A-Z]/);
    expect(t.t("en", "notice-inbox-intro", { count: 1 })).toMatch(/^Here is the recent notice for/);
    expect(t.t("en", "notice-inbox-intro", { count: 3 })).toMatch(/^Here are 3 recent notices for/);
    for (const [key, one, two] of [["concern-staff-list", "1 open concern ", "2 open concerns "], ["concern-digest", "1 open concern.", "2 open concerns."], ["meeting-questions-list", "1 question:", "2 questions:"], ["board-too-few", "1 parent linked", "2 parents linked"]] as const) {
      expect(t.t("en", key, { count: 1, soon: 0, list: "", className: "6A1" }), key).toContain(one);
      expect(t.t("en", key, { count: 2, soon: 0, list: "", className: "6A1" }), key).toContain(two);
    }
  });
});
