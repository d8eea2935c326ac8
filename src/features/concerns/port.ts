/**
 * The concerns feature's port (phản ánh): implemented by the use cases beside this file,
 * assembled in `index.ts` and wired in `wiring.ts`. Views carry what the asking person may see only:
 * a guardian their own tickets, a teacher the tickets of their current classes, the principal
 * escalated/urgent/about-a-teacher tickets of the school (others only as figures).
 */
import type { Roles } from "../../domain/roles.js";
import type { ConcernCategory, ConcernStatus } from "../../domain/concern.js";
import type { QuietHours } from "../../domain/school-clock.js";
import type { SayButton } from "../../engine/say.js";

export interface ConcernActor {
  identityId: string;
  roles: Roles;
}

/** How the reader relates to a ticket, which decides the buttons they get. */
export type ConcernViewer = "guardian" | "teacher" | "principal";

export interface ConcernSummary {
  id: string;
  number: string;
  category: ConcernCategory;
  status: ConcernStatus;
  urgent: boolean;
  studentName: string;
  className: string;
  createdAt: Date;
  /** When the current clock runs out (first response, or resolution). */
  dueAt?: Date;
}

export interface ConcernMessageView {
  from: "guardian" | "teacher" | "principal";
  text: string;
  at: Date;
  hasPhoto: boolean;
}

export interface ConcernView extends ConcernSummary {
  viewer: ConcernViewer;
  messages: ConcernMessageView[];
  rating?: number;
  confirmed: boolean;
}

export interface NewConcern {
  studentId: string;
  category: ConcernCategory;
  text: string;
  photoRef?: string;
}

export type CreateConcernResult =
  | {
      status: "created";
      ticket: ConcernSummary;
      /** The teacher gets it only then (quiet hours), when later than now. */
      deliverAt?: Date;
      /** The first-response target. */
      respondBy: Date;
      /** Nobody to receive it (no homeroom teacher / principal linked yet): the ticket waits. */
      unassigned: boolean;
    }
  | { status: "forbidden" };

export type ConcernActionResult =
  | { status: "ok"; ticket: ConcernSummary }
  | { status: "not-found" }
  | { status: "closed"; ticket: ConcernSummary }
  | { status: "not-allowed" };

export type ReopenResult =
  | { status: "reopened"; to: "teacher" | "principal"; ticket: ConcernSummary }
  | { status: "too-late" | "not-resolved" | "not-found" };

export interface IncidentReport {
  whatHappened: string;
  when: string;
  informed: string;
  actions: string;
}

export type IncidentResult =
  | { status: "sent" | "recorded"; authorityContact: string; reportId: string }
  | { status: "no-authority"; reportId: string }
  | { status: "not-found" };

export interface ConcernStats {
  total: number;
  byCategory: Record<string, number>;
  /** Median wall-clock minutes to the first acknowledgement or reply, over answered tickets. */
  medianFirstResponseMinutes?: number;
  escalations: number;
  open: number;
}

/** A staff member's quiet hours for concerns: their own (`custom`), or the school's. */
export interface StaffQuietHours extends QuietHours {
  custom: boolean;
}

/** A change of one's quiet hours: a window, Sundays on/off, or back to the school's default. */
export type QuietHoursChange = { start: number; end: number } | { sundays: boolean } | "default";

export interface ConcernsPort {
  create(actor: ConcernActor, input: NewConcern, eventId: string): Promise<CreateConcernResult>;
  /** The guardian's own tickets, newest first. */
  listForGuardian(actor: ConcernActor): Promise<ConcernSummary[]>;
  /** Open tickets the staff member handles, oldest first. */
  listForStaff(actor: ConcernActor): Promise<ConcernSummary[]>;
  view(actor: ConcernActor, id: string): Promise<ConcernView | undefined>;
  /** A message on the ticket, relayed to the other side through the outbox. */
  addMessage(actor: ConcernActor, id: string, text: string, eventId: string): Promise<ConcernActionResult>;
  acknowledge(actor: ConcernActor, id: string): Promise<ConcernActionResult>;
  escalate(actor: ConcernActor, id: string): Promise<ConcernActionResult>;
  handBack(actor: ConcernActor, id: string): Promise<ConcernActionResult>;
  resolve(actor: ConcernActor, id: string): Promise<ConcernActionResult>;
  /** The guardian confirms a resolved ticket with 1–5 stars. */
  rate(actor: ConcernActor, id: string, stars: number): Promise<ConcernActionResult>;
  reopen(actor: ConcernActor, id: string): Promise<ReopenResult>;
  /** Principal only, from an urgent ticket. */
  reportIncident(actor: ConcernActor, id: string, report: IncidentReport, eventId: string): Promise<IncidentResult>;
  /** Principal only: figures without private content. */
  stats(actor: ConcernActor): Promise<ConcernStats | undefined>;
  /** Staff only: their quiet hours (non-urgent concerns wait until they end). */
  myQuietHours(actor: ConcernActor): Promise<StaffQuietHours | undefined>;
  /** Staff only: changes them; "invalid" for a window that is not a night (see `isNightWindow`). */
  setMyQuietHours(actor: ConcernActor, change: QuietHoursChange): Promise<StaffQuietHours | "invalid" | undefined>;
}

/** Button payloads under tickets: "pa-<verb>-<ticket id>" (ticket ids are 10 base-36 chars). */
export const CONCERN_PREFIX = "pa-";
export const concernPayload = (verb: string, id: string) => `${CONCERN_PREFIX}${verb}-${id}`;

/** A clock of a ticket: which one, and the cycle it belongs to (clocks restart on reopen/hand-back). */
export interface ConcernClockJob {
  concernId: string;
  kind: "first-response" | "resolution";
  cycle: number;
}

/** Delayed clock jobs (BullMQ in `src/jobs/concern-clocks.ts`). */
export interface ConcernClockScheduler {
  /** Adds the job unless one with its id exists; true when it added it. */
  schedule(job: ConcernClockJob, at: Date): Promise<boolean>;
}

/**
 * The buttons a reader gets under a ticket. Only buttons that can apply: a concern about a
 * teacher is never handed back to the homeroom teacher, so the principal gets no *Giao lại GVCN*.
 */
export function ticketButtons(id: string, viewer: ConcernViewer, o: { urgent: boolean; status: string; category?: string }): SayButton[][] {
  if (o.status === "resolved") return viewer === "guardian" ? [[{ key: "concern-btn-reopen", payload: concernPayload("reo", id) }]] : [];
  if (viewer === "guardian")
    return [[{ key: "concern-btn-add", payload: concernPayload("add", id) }, { key: "concern-btn-status", payload: concernPayload("v", id) }]];
  if (viewer === "teacher")
    return [
      [{ key: "concern-btn-ack", payload: concernPayload("ack", id) }, { key: "concern-btn-reply", payload: concernPayload("rep", id) }],
      [{ key: "concern-btn-resolve", payload: concernPayload("res", id) }, { key: "concern-btn-escalate", payload: concernPayload("esc", id) }],
    ];
  return [
    [{ key: "concern-btn-ack", payload: concernPayload("ack", id) }, { key: "concern-btn-reply", payload: concernPayload("rep", id) }],
    [{ key: "concern-btn-resolve", payload: concernPayload("res", id) }, ...(o.category === "teacher" ? [] : [{ key: "concern-btn-handback" as const, payload: concernPayload("back", id) }])],
    ...(o.urgent ? [[{ key: "concern-btn-incident" as const, payload: concernPayload("inc", id) }]] : []),
  ];
}

/** Star buttons 1–5 and "reopen", under the "resolved" message to the guardian. */
export function ratingButtons(id: string): SayButton[][] {
  return [
    [1, 2, 3, 4, 5].map((n) => ({ key: "concern-btn-star" as const, args: { n }, payload: concernPayload(`s${n}`, id) })),
    [{ key: "concern-btn-reopen", payload: concernPayload("reo", id) }],
  ];
}
