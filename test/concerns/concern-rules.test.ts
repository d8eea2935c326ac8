import { describe, it, expect } from "vitest";
import { CONCERN_CATEGORIES, median, nextStatus, reopenDecision, routeFor, ticketNumber } from "../../src/domain/concern.js";

describe("concern rules", () => {
  it("bullying and school safety go to the teacher and the principal at once, urgent", () => {
    expect(routeFor("bullying")).toEqual({ teacher: true, principal: true, urgent: true });
    expect(routeFor("safety")).toEqual({ teacher: true, principal: true, urgent: true });
  });

  it("a concern about a teacher goes to the principal only", () => {
    expect(routeFor("teacher")).toEqual({ teacher: false, principal: true, urgent: false });
  });

  it("everything else goes to the homeroom teacher only, not urgent", () => {
    for (const c of CONCERN_CATEGORIES.filter((c) => !["bullying", "safety", "teacher"].includes(c)))
      expect(routeFor(c)).toEqual({ teacher: true, principal: false, urgent: false });
  });

  it("status moves Đã gửi → đã nhận → đang xử lý → chuyển BGH → đã giải quyết", () => {
    expect(nextStatus("sent", "acknowledge")).toEqual({ ok: true, status: "acknowledged" });
    expect(nextStatus("acknowledged", "staff-reply")).toEqual({ ok: true, status: "in-progress" });
    expect(nextStatus("in-progress", "escalate")).toEqual({ ok: true, status: "escalated" });
    expect(nextStatus("escalated", "staff-reply")).toEqual({ ok: true, status: "escalated" });
    expect(nextStatus("escalated", "hand-back")).toEqual({ ok: true, status: "in-progress" });
    expect(nextStatus("in-progress", "resolve")).toEqual({ ok: true, status: "resolved" });
    expect(nextStatus("resolved", "reopen")).toEqual({ ok: true, status: "in-progress" });
  });

  it("a closed ticket takes no replies, acknowledgements or escalations", () => {
    for (const e of ["acknowledge", "staff-reply", "escalate", "resolve"] as const)
      expect(nextStatus("resolved", e)).toEqual({ ok: false, reason: "closed" });
    expect(nextStatus("in-progress", "hand-back")).toEqual({ ok: false, reason: "not-escalated" });
    expect(nextStatus("sent", "reopen")).toEqual({ ok: false, reason: "not-resolved" });
  });

  it("reopening: twice to the teacher within 7 days, the third to the principal, never after 7 days", () => {
    const resolved = new Date("2026-09-14T02:00:00Z");
    const day = 86_400_000;
    expect(reopenDecision(resolved, new Date(resolved.getTime() + 6 * day), 0)).toBe("to-teacher");
    expect(reopenDecision(resolved, new Date(resolved.getTime() + day), 1)).toBe("to-teacher");
    expect(reopenDecision(resolved, new Date(resolved.getTime() + day), 2)).toBe("to-principal");
    expect(reopenDecision(resolved, new Date(resolved.getTime() + 7 * day + 1), 0)).toBe("too-late");
  });

  it("ticket numbers and medians", () => {
    expect(ticketNumber(42)).toBe("PA-0042");
    expect(ticketNumber(12345)).toBe("PA-12345");
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeUndefined();
  });
});
