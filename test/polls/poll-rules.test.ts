import { describe, it, expect } from "vitest";
import { mentionsMoney, organizerScopes, parsePollOptions } from "../../src/domain/poll.js";
import { parseDeadline } from "../../src/domain/poll-deadline.js";
import { parseVotePayload, votePayload } from "../../src/features/polls/messages.js";
import { NO_ROLES, type Roles } from "../../src/domain/roles.js";

const now = new Date("2026-12-01T02:00:00Z"); // 09:00 in Hà Nội

describe("poll options", () => {
  it("reads one option per line and drops list marks and blank lines", () => {
    expect(parsePollOptions("1. Đồng ý\n\n2) Không đồng ý\n- Ý kiến khác ")).toEqual({ ok: true, options: ["Đồng ý", "Không đồng ý", "Ý kiến khác"] });
  });
  it("reads options typed on one line separated by «;» (Enter sends the message on Zalo and desktop Telegram)", () => {
    expect(parsePollOptions("Thứ Bảy; Chủ Nhật ;")).toEqual({ ok: true, options: ["Thứ Bảy", "Chủ Nhật"] });
    // Several lines: a «;» inside a line is part of the option.
    expect(parsePollOptions("Sáng; 8h\nChiều")).toEqual({ ok: true, options: ["Sáng; 8h", "Chiều"] });
  });
  it("rejects duplicates compared without case or diacritics", () => {
    expect(parsePollOptions("Có\nKhông\nco")).toEqual({ ok: false, error: "duplicate", option: "co" });
  });
  it("rejects fewer than two and more than ten options", () => {
    expect(parsePollOptions("Có")).toMatchObject({ ok: false, error: "too-few", count: 1 });
    const eleven = Array.from({ length: 11 }, (_, i) => `Phương án ${i + 1}`).join("\n");
    expect(parsePollOptions(eleven)).toMatchObject({ ok: false, error: "too-many", count: 11 });
    const ten = Array.from({ length: 10 }, (_, i) => `Phương án ${i + 1}`).join("\n");
    expect(parsePollOptions(ten)).toMatchObject({ ok: true });
  });
});

describe("money reminder", () => {
  it.each(["Đóng quỹ lớp học kỳ II?", "Mỗi hộ đóng góp bao nhiêu tiền?", "dong gop mua quat", "thu tien lop", "Ung ho quy"])("flags %s", (q) => {
    expect(mentionsMoney(q)).toBe(true);
  });
  it.each(["Kính mời Quý phụ huynh chọn ngày dã ngoại", "Giờ đón có thuận tiện không?", "Chọn màu áo đồng phục"])("does not flag %s", (q) => {
    expect(mentionsMoney(q)).toBe(false);
  });
});

describe("deadline", () => {
  it("reads '20/12 17h' and '20/12/2026 17:00' in Vietnam time", () => {
    expect(parseDeadline("20/12 17h", now)).toEqual({ ok: true, at: new Date("2026-12-20T10:00:00Z") });
    expect(parseDeadline("20/12/2026 17:00", now)).toEqual({ ok: true, at: new Date("2026-12-20T10:00:00Z") });
  });
  it("reads a day alone as the end of that day", () => {
    expect(parseDeadline("20/12", now)).toEqual({ ok: true, at: new Date("2026-12-20T16:59:00Z") });
  });
  it("says when the deadline is past", () => {
    expect(parseDeadline("01/12/2026 8h", now)).toEqual({ ok: false, error: "past" });
  });
});

describe("organizer scopes", () => {
  const roles = (r: Partial<Roles>): Roles => ({ ...NO_ROLES, ...r });
  it("gives a class board member their class and the principal the school", () => {
    expect(organizerScopes(roles({ board: [{ scope: "class", position: "member", schoolId: "s", classGroupId: "c1", className: "6A1" }] }), "poll"))
      .toEqual([{ kind: "class", schoolId: "s", classGroupId: "c1", className: "6A1" }]);
    expect(organizerScopes(roles({ staff: [{ role: "principal", schoolId: "s", classGroupId: "", className: "", staffName: "" }] }), "poll"))
      .toEqual([{ kind: "school", schoolId: "s" }]);
  });
  it("gives a plain guardian nothing to organize", () => {
    expect(organizerScopes(roles({ guardianOf: [{ studentId: "x", studentName: "An", classGroupId: "c1", className: "6A1", schoolId: "s" }] }), "poll")).toEqual([]);
  });
});

describe("vote payloads", () => {
  it("stay far under 64 bytes and parse back", () => {
    const p = votePayload("p0123456789a", 1234, 9, true);
    expect(Buffer.byteLength(p)).toBeLessThanOrEqual(64);
    expect(parseVotePayload(p)).toEqual({ pollId: "p0123456789a", studentIdx: 1234, option: 9, remove: true });
    expect(parseVotePayload("pv-x-1-2")).toBeUndefined();
  });
});
