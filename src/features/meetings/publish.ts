/**
 * From draft to published: creating a meeting, agreeing its content with the board head
 * (Circular 55/2011: the principal agrees the content with the parents' board before the
 * meeting), and the fan-out of invitations and reminders that a publication starts.
 */
import { createHash } from "node:crypto";
import { say } from "../../engine/say.js";
import { leadsSchool, teachesClass } from "../../domain/roles.js";
import { isDuplicateKey } from "../../store/models.js";
import {
  audit, boardHeadFor, enqueueFor, householdsOfMeeting, loadMeeting, nightHold, organized, tell, viewOf, type MeetingDeps, type MeetingDoc,
} from "./deps.js";
import { boardRequest, invitationItems, reachedCount } from "./messages.js";
import { meetingArgs, type BoardDecisionResult, type CreateMeetingResult, type MeetingActor, type MeetingDraft, type MeetingView } from "./port.js";
import { planFor } from "./reminders.js";
import { decideChange, fenceFanOut, onLatest, type MeetingChange } from "./transition.js";

/** A short opaque id (8 chars) derived from the creating event, so a retried create finds the same meeting. */
export function meetingIdFor(eventId: string): string {
  return "m" + BigInt("0x" + createHash("sha256").update(eventId).digest("hex").slice(0, 12)).toString(36).slice(0, 8);
}

/**
 * What a publication starts, by its winner only: the reminder jobs of the published version and
 * one invitation per (pupil, guardian), held for the school's night. Fenced: if the meeting
 * moved on while the invitations were queued, they are superseded.
 */
export async function fanOutPublished(deps: MeetingDeps, d: MeetingDoc): Promise<{ meeting: MeetingView; households: number }> {
  await deps.scheduler.schedule(d._id, d.version, (await planFor(deps, d)).filter((p) => d.plannedOffsets.includes(p.offset)));
  const v = await viewOf(deps, d);
  const hs = await householdsOfMeeting(deps, d);
  await enqueueFor(deps, d.schoolId, `minv-${d._id}`, invitationItems(v, hs, `minv-${d._id}`, "meeting-invite", await nightHold(deps, d.schoolId)));
  // Cancelled or moved meanwhile: the mover may have looked before these existed, so stop them here.
  if (!(await fenceFanOut(deps, d._id, d.version, [`minv-${d._id}`]))) await deps.scheduler.unschedule(d._id, d.version, d.plannedOffsets);
  return { meeting: v, households: reachedCount(hs) };
}

/** Sends round `d.boardRound` of the draft to the board head. */
export async function askBoard(deps: MeetingDeps, d: MeetingDoc, actorId: string): Promise<CreateMeetingResult> {
  await audit(deps, d._id, actorId, "sent-to-board", { round: d.boardRound }, `${d._id}-board-${d.boardRound}`);
  const v = await viewOf(deps, d);
  await tell(deps, d.schoolId, `mbr-${d._id}`, `mbr-${d._id}-${d.boardRound}-${d.boardHeadIdentityId}`, d.boardHeadIdentityId, [boardRequest(v, d.boardRound)]);
  return { status: "sent-to-board", meeting: v };
}

const mayCreate = (actor: MeetingActor, draft: MeetingDraft) =>
  leadsSchool(actor.roles, draft.schoolId) || (draft.scope.kind === "class" && actor.roles.staff.some((s) => s.schoolId === draft.schoolId) && teachesClass(actor.roles, draft.scope.classGroupId));

/** Creates a meeting: pending the board head's agreement, or published at once when there is none (recorded). */
export async function createMeeting(deps: MeetingDeps, actor: MeetingActor, draft: MeetingDraft, eventId: string): Promise<CreateMeetingResult> {
  if (!mayCreate(actor, draft)) return { status: "forbidden" };
  const scope = draft.scope;
  const base = {
    _id: meetingIdFor(eventId), schoolId: draft.schoolId, scope: scope.kind, classGroupId: scope.kind === "class" ? scope.classGroupId : "",
    grade: scope.kind === "grade" ? scope.grade : 0, kind: draft.kind, startsAt: draft.startsAt, place: draft.place, agenda: draft.agenda,
  };
  const head = await boardHeadFor(deps, base);
  const plannedOffsets = head ? [] : (await planFor(deps, base)).map((p) => p.offset);
  const now = deps.clock.now();
  try {
    // The creation is itself unique (the id comes from the event): a replay finds the same meeting.
    await deps.meetings.Meeting.create({ ...base, status: head ? "pending-board" : "published", version: 1, boardRound: head ? 1 : 0, plannedOffsets,
      organizerIdentityId: actor.identityId, boardHeadIdentityId: head ?? "", createdAt: now, updatedAt: now });
    await audit(deps, base._id, actor.identityId, "created", { startsAt: draft.startsAt.toISOString() }, `${base._id}-created`);
    if (!head) await audit(deps, base._id, actor.identityId, "published-without-board", { reason: "no board head in scope" }, `${base._id}-published-v1`);
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
  const d = (await loadMeeting(deps, base._id))!;
  if (d.version !== 1) return d.status === "pending-board" ? { status: "sent-to-board", meeting: await viewOf(deps, d) } : { status: "published", meeting: await viewOf(deps, d), households: 0 };
  if (d.status === "pending-board") return askBoard(deps, d, actor.identityId);
  return { status: "published", ...(await fanOutPublished(deps, d)) };
}

/** Publishes version `d.version` (decided once against any concurrent change). */
export async function publish(deps: MeetingDeps, d: MeetingDoc, actorId: string, how: "published" | "published-without-board", edits: MeetingChange = {}) {
  const plannedOffsets = (await planFor(deps, d)).map((p) => p.offset);
  const r = await decideChange(deps, d, "published", actorId, { ...edits, status: "published", plannedOffsets });
  if (!r.won) return undefined;
  await audit(deps, d._id, actorId, how, how === "published-without-board" ? { reason: "no board head in scope" } : {});
  return fanOutPublished(deps, r.meeting);
}

/** The board head's answer to round `round`: agree (publish) or ask for a revision (back to draft). */
export async function boardDecision(deps: MeetingDeps, actor: MeetingActor, id: string, round: number, decision: "agree" | "revise", comment: string): Promise<BoardDecisionResult> {
  return onLatest<BoardDecisionResult>(deps, id, async (d) => {
    if (d.boardHeadIdentityId !== actor.identityId) return { status: "not-found" };
    if (d.status !== "pending-board" || d.boardRound !== round) return { status: "stale" };
    const tellOrganizer = (key: "meeting-board-agreed-organizer" | "meeting-board-revise-organizer", args: Record<string, string | number>, v: MeetingView) =>
      tell(deps, d.schoolId, `mbd-${id}`, `mbd-${id}-${round}-${d.organizerIdentityId}`, d.organizerIdentityId, [say(key, { ...meetingArgs(v), ...args })]);
    if (decision === "agree") {
      const done = await publish(deps, d, actor.identityId, "published");
      if (!done) return "lost";
      await audit(deps, id, actor.identityId, "board-agreed", { round });
      await tellOrganizer("meeting-board-agreed-organizer", { households: done.households }, done.meeting);
      return { status: "published", ...done };
    }
    const r = await decideChange(deps, d, "revision-requested", actor.identityId, { status: "draft" });
    if (!r.won) return "lost";
    await audit(deps, id, actor.identityId, "board-revision-requested", { round, comment });
    const v = await viewOf(deps, r.meeting);
    await tellOrganizer("meeting-board-revise-organizer", { comment }, v);
    return { status: "revision-requested", meeting: v };
  }, { status: "not-found" });
}

/** Sends a revised draft back to the board (or publishes it when the board has no head any more). */
export async function resubmit(deps: MeetingDeps, actor: MeetingActor, id: string, changes: { agenda?: string; place?: string }): Promise<CreateMeetingResult | { status: "not-found" }> {
  return onLatest<CreateMeetingResult | { status: "not-found" }>(deps, id, async (current) => {
    const d = await organized(deps, actor, current._id);
    if (!d || d.status !== "draft") return { status: "not-found" };
    const edits = { ...(changes.agenda ? { agenda: changes.agenda } : {}), ...(changes.place ? { place: changes.place } : {}) };
    const head = await boardHeadFor(deps, d);
    if (!head) {
      const done = await publish(deps, d, actor.identityId, "published-without-board", edits);
      return done ? { status: "published", ...done } : "lost";
    }
    const r = await decideChange(deps, d, "sent-to-board", actor.identityId, { ...edits, status: "pending-board", boardRound: d.boardRound + 1, boardHeadIdentityId: head });
    if (!r.won) return "lost";
    if (Object.keys(edits).length) await audit(deps, id, actor.identityId, "edited", edits);
    return askBoard(deps, r.meeting, actor.identityId);
  }, { status: "not-found" });
}
