/**
 * Every status or content change of a meeting is decided by inserting the unique fact
 * `<meeting>#v<version>` (`decideTransition`, src/store/facts.ts): of a board head agreeing, a
 * teacher cancelling and a teacher rescheduling at the same moment, exactly one wins version
 * v. Only the winner writes the summary (the `meetings` document), bumping `version` to v+1 in
 * one `$set`; nobody else ever writes it, so the version is monotonic and no later write can
 * restore an older status. A loser re-reads the meeting and acts on the new version (or is
 * told its button is stale).
 */
import { decideTransition } from "../../store/facts.js";
import { supersede } from "../../store/deliveries.js";
import { loadMeeting, type MeetingDeps, type MeetingDoc } from "./deps.js";

/** The summary fields a transition may set. */
export type MeetingChange = Partial<Pick<MeetingDoc, "status" | "startsAt" | "place" | "agenda" | "boardRound" | "boardHeadIdentityId" | "plannedOffsets" | "minutes" | "organizerIdentityId">>;

export type Decided = { won: true; before: MeetingDoc; meeting: MeetingDoc } | { won: false; winner: string };

/**
 * Decides `kind` for version `d.version` of the meeting and, when it won, writes the summary.
 *
 * @example
 * const r = await decideChange(deps, d, "cancelled", actor.identityId, { status: "cancelled" });
 * if (!r.won) return retryOnNewVersion();
 */
export async function decideChange(deps: MeetingDeps, d: MeetingDoc, kind: string, actor: string, change: MeetingChange): Promise<Decided> {
  const at = deps.clock.now();
  const version = d.version + 1;
  const fact = await decideTransition(deps.models, { entity: d._id, slot: `v${d.version}`, kind, actor, at, data: { version, status: change.status ?? d.status } });
  if (!fact.won) return { won: false, winner: fact.fact.kind };
  await deps.meetings.Meeting.updateOne({ _id: d._id }, { $set: { ...change, version, updatedAt: at } });
  return { won: true, before: d, meeting: { ...d, ...change, version } };
}

/** What a use case does with the meeting as it stands: a result, or "lost" to try again on the next version. */
export type Attempt<T> = (d: MeetingDoc) => Promise<T | "lost">;

/** A winner that died between its fact and its summary write is rolled forward after this long. */
const STUCK_MS = 30_000;

/**
 * Writes the status and version of a decided fact whose winner never wrote the summary (it
 * crashed in between); false while the fact is young (its winner is probably still writing).
 */
export async function rollForward(deps: MeetingDeps, d: MeetingDoc): Promise<boolean> {
  const fact = await deps.models.Transition.findById(`${d._id}#v${d.version}`).lean();
  if (!fact || deps.clock.now().getTime() - new Date(fact.at).getTime() < STUCK_MS) return false;
  const { status, version } = JSON.parse(fact.data) as { status: string; version: number };
  await deps.meetings.Meeting.updateOne({ _id: d._id }, { $set: { status, version, updatedAt: deps.clock.now() } });
  return true;
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Runs `attempt` on the current version until it is not beaten to it: each loss means another
 * change won this version; once its winner has written the summary, the next read sees the
 * newer version and the attempt is judged against it.
 */
export async function onLatest<T>(deps: MeetingDeps, id: string, attempt: Attempt<T>, notFound: T): Promise<T> {
  let lostAt = -1;
  for (let round = 0; round < 40; round++) {
    const d = await loadMeeting(deps, id);
    if (!d) return notFound;
    if (d.version === lostAt) {
      // The winner of this version has not written the summary yet (or died doing so).
      if (!(await rollForward(deps, d))) await pause(Math.min(10 * round, 200));
      continue;
    }
    const r = await attempt(d);
    if (r !== "lost") return r;
    lostAt = d.version;
  }
  throw new Error(`meeting ${id}: version did not move after a lost change`);
}

/**
 * The fence after a fan-out decided at `version`: if the meeting moved on meanwhile, the
 * deliveries just queued are superseded. Together with the mover superseding after its own
 * summary write, a queued message about an old version is always stopped by one of the two.
 */
export async function fenceFanOut(deps: MeetingDeps, meetingId: string, version: number, groups: string[]): Promise<boolean> {
  const now = await loadMeeting(deps, meetingId);
  if (now && now.version === version) return true;
  await supersede(deps.models, groups);
  return false;
}

/**
 * The outbox groups of a meeting that may hold messages about its current or older versions
 * waiting for the night to end: invitations, nudges and reminders.
 */
export async function heldGroupsOf(deps: MeetingDeps, d: MeetingDoc): Promise<string[]> {
  const nudges = await deps.meetings.MeetingNudge.find({ meetingId: d._id }).lean();
  return [`minv-${d._id}`, ...nudges.map((n) => `mnud-${n._id}`), ...Array.from({ length: d.version }, (_, i) => `mrem-${d._id}-v${i + 1}`)];
}

/** Stops what the previous version had queued: reminder jobs and still-queued invitations, nudges, reminders. */
export async function dropQueued(deps: MeetingDeps, before: MeetingDoc): Promise<void> {
  await deps.scheduler.unschedule(before._id, before.version, before.plannedOffsets ?? []);
  await supersede(deps.models, await heldGroupsOf(deps, before));
}
