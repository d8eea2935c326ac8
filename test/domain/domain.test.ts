import { describe, it, expect } from "vitest";
import { foldText, splitText, compareVietnameseNames, givenName } from "../../src/domain/text.js";
import { formatDate, formatDateTime, zonedInstant } from "../../src/domain/time.js";
import { generateInviteCode, normalizeInviteCode, formatInviteCode, INVITE_CODE_LENGTH } from "../../src/domain/invite-code.js";

describe("text folding", () => {
  it("matches answers without diacritics, case or extra spaces", () => {
    for (const s of ["Có", "CÓ", "co", " có  "]) expect(foldText(s)).toBe("co");
    expect(foldText("Đồng Ý")).toBe("dong y");
    expect(foldText("hoà")).toBe(foldText("hòa"));
    expect(foldText("thuỷ")).toBe(foldText("thủy"));
  });

  it("sorts class lists by given name, Vietnamese collation", () => {
    const names = ["Trần Thị Bình", "Nguyễn Văn An", "Lê Minh Châu", "Phạm Văn Ân"];
    expect(names.sort(compareVietnameseNames).map(givenName)).toEqual(["An", "Ân", "Bình", "Châu"]);
  });

  it("splits a long text at line breaks within the limit", () => {
    const text = Array.from({ length: 300 }, (_, i) => `Dòng số ${i} của thông báo.`).join("\n");
    const parts = splitText(text, 4096);
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) expect([...p].length).toBeLessThanOrEqual(4096);
    expect(parts.join("\n")).toBe(text);
  });
});

describe("Vietnamese dates", () => {
  it("formats as 'Thứ Bảy, 19/09/2026 lúc 19:30' in Asia/Ho_Chi_Minh", () => {
    const at = new Date("2026-09-19T12:30:00Z");
    expect(formatDate(at, "vi")).toBe("Thứ Bảy, 19/09/2026");
    expect(formatDateTime(at, "vi")).toBe("Thứ Bảy, 19/09/2026 lúc 19:30");
    expect(formatDateTime(at, "en")).toBe("Saturday, 19/09/2026 at 19:30");
  });

  it("turns a local wall-clock time into the right instant", () => {
    expect(zonedInstant({ year: 2026, month: 9, day: 19, hour: 19, minute: 30 }).toISOString()).toBe("2026-09-19T12:30:00.000Z");
    expect(formatDate(zonedInstant({ year: 2026, month: 1, day: 1, hour: 0 }), "vi")).toBe("Thứ Năm, 01/01/2026");
  });
});

describe("invite codes", () => {
  it("carry at least 60 bits of randomness and survive hand typing", () => {
    expect(INVITE_CODE_LENGTH * 5).toBeGreaterThanOrEqual(60);
    const code = generateInviteCode();
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{13}$/);
    expect(normalizeInviteCode(formatInviteCode(code).toLowerCase())).toBe(code);
    expect(normalizeInviteCode("k7m2 q9xd 4rt8b")).toBe("K7M2Q9XD4RT8B");
    expect(normalizeInviteCode("KOM2Q9XD4RT8B")).toBe("K0M2Q9XD4RT8B");
  });

  it("rejects anything that cannot be a code without a database read", () => {
    for (const s of ["", "hello", "K7M2Q9XD4RT8", "K7M2Q9XD4RT8BB", "K7M2Q9XD4RT8U"]) expect(normalizeInviteCode(s)).toBeUndefined();
  });

  it("are deep-link safe (≤ 64 chars of A–Z a–z 0–9 _ -)", () => {
    for (let i = 0; i < 50; i++) expect(generateInviteCode()).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
  });
});
