/**
 * Concern rules: categories and who receives them, the status machine, reopening, ticket
 * numbers and the figures principals see. Pure.
 */

export const CONCERN_CATEGORIES = ["study", "health", "bullying", "safety", "fees", "teacher", "other"] as const;
export type ConcernCategory = (typeof CONCERN_CATEGORIES)[number];

export function isConcernCategory(s: string): s is ConcernCategory {
  return (CONCERN_CATEGORIES as readonly string[]).includes(s);
}

/** Who receives a new concern, and how fast. */
export interface Route {
  /** The child's homeroom teacher receives it. */
  teacher: boolean;
  /** The principal (Ban giám hiệu) receives it at once. */
  principal: boolean;
  /** Urgent: delivered whatever the hour, marked urgent. */
  urgent: boolean;
}

/**
 * Bullying and school safety go to the teacher AND the principal at once, urgent, any hour;
 * a concern about a teacher goes to the principal only, never to that teacher; everything
 * else to the child's homeroom teacher.
 */
export function routeFor(category: ConcernCategory): Route {
  switch (category) {
    case "bullying":
    case "safety":
      return { teacher: true, principal: true, urgent: true };
    case "teacher":
      return { teacher: false, principal: true, urgent: false };
    default:
      return { teacher: true, principal: false, urgent: false };
  }
}

/** Đã gửi → Cô/Thầy đã nhận → Đang xử lý → Đã chuyển Ban giám hiệu → Đã giải quyết. */
export const CONCERN_STATUSES = ["sent", "acknowledged", "in-progress", "escalated", "resolved"] as const;
export type ConcernStatus = (typeof CONCERN_STATUSES)[number];

export type ConcernEventType =
  /** The teacher (or principal) pressed "Đã nhận". */
  | "acknowledge"
  /** Staff wrote to the guardian. */
  | "staff-reply"
  /** Handed to Ban giám hiệu (by the teacher, or a clock ran out). */
  | "escalate"
  /** The principal gives it back to the homeroom teacher. */
  | "hand-back"
  | "resolve"
  | "reopen";

export type TransitionResult = { ok: true; status: ConcernStatus } | { ok: false; reason: "closed" | "not-escalated" | "not-resolved" };

/** The next status after `event`, or why the event does not apply. */
export function nextStatus(current: ConcernStatus, event: ConcernEventType): TransitionResult {
  const open = current !== "resolved";
  switch (event) {
    case "acknowledge":
      if (!open) return { ok: false, reason: "closed" };
      return { ok: true, status: current === "sent" ? "acknowledged" : current };
    case "staff-reply":
      if (!open) return { ok: false, reason: "closed" };
      return { ok: true, status: current === "escalated" ? "escalated" : "in-progress" };
    case "escalate":
      if (!open) return { ok: false, reason: "closed" };
      return { ok: true, status: "escalated" };
    case "hand-back":
      if (current !== "escalated") return { ok: false, reason: "not-escalated" };
      return { ok: true, status: "in-progress" };
    case "resolve":
      if (!open) return { ok: false, reason: "closed" };
      return { ok: true, status: "resolved" };
    case "reopen":
      if (open) return { ok: false, reason: "not-resolved" };
      return { ok: true, status: "in-progress" };
  }
}

/** An open ticket still counts against the clocks. */
export function isOpen(status: ConcernStatus): boolean {
  return status !== "resolved";
}

export const REOPEN_WINDOW_DAYS = 7;
/** Reopens that go back to the teacher; the next one goes to the principal. */
export const MAX_TEACHER_REOPENS = 2;

export type ReopenDecision = "to-teacher" | "to-principal" | "too-late";

/** Whether a resolved ticket may be reopened, and to whom. */
export function reopenDecision(resolvedAt: Date, now: Date, reopensSoFar: number): ReopenDecision {
  if (now.getTime() - resolvedAt.getTime() > REOPEN_WINDOW_DAYS * 86_400_000) return "too-late";
  return reopensSoFar < MAX_TEACHER_REOPENS ? "to-teacher" : "to-principal";
}

/** "PA-0042" (at least four digits). */
export function ticketNumber(seq: number): string {
  return `PA-${String(seq).padStart(4, "0")}`;
}

/** Limits of what a guardian may send. */
export const CONCERN_MAX_CHARS = 2000;
export const CONCERN_MIN_CHARS = 10;
export const MESSAGE_MAX_CHARS = 2000;
/** Photos larger than this are refused (Telegram's own limit for bots to fetch is 20 MB). */
export const PHOTO_MAX_BYTES = 10 * 1024 * 1024;

/** Median of a list of numbers (undefined when empty). */
export function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
