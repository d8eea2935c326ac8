/**
 * A ticket's state as a fold of its facts. Every change of a ticket (created, acknowledged,
 * replied, escalated, resolved, handed back, reopened, rated, assigned) is one fact
 * `<ticket>#v<n>` in the `transitions` collection, decided by a unique insert (see
 * `transition.ts`): the facts are the truth, the `concerns` document is a summary the winner
 * writes and anyone can rebuild with `foldTicket`. Counts (escalations, reopens, cycles) are
 * counts of facts, never `$inc`. Pure.
 */
import type { ConcernStatus } from "../../domain/concern.js";

export type TicketFactKind = "created" | "acknowledged" | "replied" | "escalated" | "resolved" | "handed-back" | "reopened" | "rated" | "assigned";

/** A decided fact as the fold reads it (`data` parsed; dates as ISO strings). */
export interface TicketFact {
  version: number;
  kind: TicketFactKind;
  actor: string;
  at: Date;
  data: TicketFactData;
}

export interface TicketFactData {
  /** A deterministic name of the attempt (a clock job), so a re-run finds its own fact. */
  intent?: string;
  firstResponseDueAt?: string;
  resolutionDueAt?: string;
  awaitsTeacher?: boolean;
  awaitsPrincipal?: boolean;
  /** escalated: first-response | resolution | teacher; reopened: teacher | principal. */
  reason?: string;
  to?: "teacher" | "principal";
  stars?: number;
  side?: "teacher" | "principal";
}

/** What a ticket is after its facts: the summary fields of the `concerns` document. */
export interface TicketState {
  version: number;
  status: ConcernStatus;
  cycle: number;
  escalations: number;
  reopens: number;
  firstResponseDueAt: Date | null;
  resolutionDueAt: Date | null;
  firstResponseAt: Date | null;
  resolvedAt: Date | null;
  confirmedAt: Date | null;
  rating: number;
  /** Escalated in the current cycle (the principal has it). */
  escalatedThisCycle: boolean;
  awaitsTeacher: boolean;
  awaitsPrincipal: boolean;
}

export const INITIAL_STATE: TicketState = {
  version: 0, status: "sent", cycle: 1, escalations: 0, reopens: 0, firstResponseDueAt: null, resolutionDueAt: null, firstResponseAt: null,
  resolvedAt: null, confirmedAt: null, rating: 0, escalatedThisCycle: false, awaitsTeacher: false, awaitsPrincipal: false,
};

const date = (s: string | undefined, fallback: Date | null) => (s ? new Date(s) : fallback);

/** Applies one fact. */
export function applyFact(s: TicketState, f: TicketFact): TicketState {
  const n = { ...s, version: f.version };
  const answered = s.firstResponseAt ?? f.at;
  switch (f.kind) {
    case "created":
      return { ...n, firstResponseDueAt: date(f.data.firstResponseDueAt, null), resolutionDueAt: date(f.data.resolutionDueAt, null),
        awaitsTeacher: Boolean(f.data.awaitsTeacher), awaitsPrincipal: Boolean(f.data.awaitsPrincipal) };
    case "acknowledged":
      return { ...n, status: s.status === "sent" ? "acknowledged" : s.status, firstResponseAt: answered };
    case "replied":
      return { ...n, status: s.status === "escalated" ? "escalated" : "in-progress", firstResponseAt: answered };
    case "escalated":
      return { ...n, status: "escalated", escalations: s.escalations + 1, escalatedThisCycle: true };
    case "resolved":
      return { ...n, status: "resolved", resolvedAt: f.at, firstResponseAt: answered };
    case "handed-back":
      return { ...n, status: "in-progress", cycle: s.cycle + 1, escalatedThisCycle: false,
        resolutionDueAt: date(f.data.resolutionDueAt, s.resolutionDueAt), awaitsTeacher: Boolean(f.data.awaitsTeacher) };
    case "reopened": {
      const toPrincipal = f.data.to === "principal";
      return { ...n, status: toPrincipal ? "escalated" : "in-progress", cycle: s.cycle + 1, reopens: s.reopens + 1,
        escalations: s.escalations + (toPrincipal ? 1 : 0), escalatedThisCycle: toPrincipal, resolvedAt: null, confirmedAt: null, rating: 0,
        resolutionDueAt: date(f.data.resolutionDueAt, s.resolutionDueAt), awaitsTeacher: Boolean(f.data.awaitsTeacher) };
    }
    case "rated":
      return { ...n, rating: f.data.stars ?? 0, confirmedAt: f.at };
    case "assigned":
      return f.data.side === "teacher" ? { ...n, awaitsTeacher: false } : { ...n, awaitsPrincipal: false };
  }
}

/** The state after all facts, oldest first. */
export function foldTicket(facts: TicketFact[]): TicketState {
  return facts.reduce(applyFact, INITIAL_STATE);
}

/** What a use case decided to do with the state it read. */
export type Decided =
  | { kind: TicketFactKind; data?: TicketFactData }
  /** Nothing to change (already so): no fact. */
  | { noop: true }
  | { refuse: "closed" | "not-allowed" | "not-resolved" | "too-late" | "skipped" };
