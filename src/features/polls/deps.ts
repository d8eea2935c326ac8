/**
 * What the poll use cases share: their dependencies, the stored poll as a plain object, and
 * the small helpers every use case needs (load, view, anonymity keys, the night hold).
 */
import { createHmac } from "node:crypto";
import type { Clock, OutboxItem } from "../../engine/ports.js";
import type { Models } from "../../store/models.js";
import type { PollModels } from "../../store/poll-models.js";
import { schoolQuietHours } from "../../store/school-calendar.js";
import { schoolTimeZone } from "../../store/school-zone.js";
import { holdUntil } from "../../domain/quiet-hours.js";
import type { PollActor, PollDeadlineScheduler, PollView } from "./port.js";

export interface PollDeps {
  models: Models;
  polls: PollModels;
  outbox: { enqueueGroup(group: string, items: OutboxItem[]): Promise<void> };
  scheduler: PollDeadlineScheduler;
  clock: Clock;
  /** The deployment's zone (`SCHOOL_TIME_ZONE`), for schools that set none of their own. */
  timeZone?: string;
  /** A deadline job this much early (clock skew between hosts) still closes; default 60 s. */
  deadlineToleranceMs?: number;
}

export const DEFAULT_DEADLINE_TOLERANCE_MS = 60_000;

export type PollDoc = {
  _id: string; schoolId: string; scope: string; classGroupId: string; scopeName: string; question: string; options: string[];
  multiple: boolean; anonymity: string; closesAt: Date; status: string; resultQueuedAt?: Date | null; organizerIdentityId: string;
  studentIds: string[]; voterSecret: string;
};

/** The school's time zone (`School.timeZone`, else the deployment's): its night and its messages' dates. */
export const zoneOf = (deps: Pick<PollDeps, "models" | "timeZone">, schoolId: string) => schoolTimeZone(deps.models, schoolId, deps.timeZone);

export async function loadPoll(deps: PollDeps, id: string): Promise<PollDoc | null> {
  return (await deps.polls.Poll.findById(id).lean()) as PollDoc | null;
}

/** The poll when the actor organizes it, else undefined ("not-found" to the caller). */
export async function organizedPoll(deps: PollDeps, actor: PollActor, id: string): Promise<PollDoc | undefined> {
  const d = await loadPoll(deps, id);
  return d && d.organizerIdentityId === actor.identityId ? d : undefined;
}

export function toPollView(d: PollDoc, closed = false): PollView {
  return {
    id: d._id, question: d.question, options: [...d.options], multiple: d.multiple, anonymity: d.anonymity === "anonymous" ? "anonymous" : "visible",
    scope: d.scope === "school" ? "school" : "class", scopeName: d.scopeName, closesAt: new Date(d.closesAt), status: d.status === "open" && !closed ? "open" : "closed",
  };
}

/** Anonymous polls key a household (and a voter) by an HMAC under the poll's own secret, erased at close. */
export function anonKey(d: PollDoc, id: string): string {
  return d.anonymity === "anonymous" ? createHmac("sha256", d.voterSecret).update(id).digest("hex").slice(0, 32) : id;
}

/**
 * What every outbox item about the school's poll carries: `{ notBefore }` holding a non-urgent
 * send through the school's nightly window, and the school's zone its dates show in.
 */
export async function nightHold(deps: PollDeps, schoolId: string): Promise<{ notBefore?: Date; timeZone: string }> {
  const [quiet, timeZone] = await Promise.all([schoolQuietHours(deps.models, schoolId), zoneOf(deps, schoolId)]);
  return { ...holdUntil(deps.clock.now(), quiet, timeZone), timeZone };
}
