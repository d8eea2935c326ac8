/**
 * The sender's report: per household (student), the best reach over its guardians and rounds,
 * whether it confirmed, and the counts — read from the deliveries' facts and the confirmations.
 */
import { groupStatuses } from "../../store/deliveries.js";
import { guardianIdsOf, householdsInScope, studentsInScope, type Household } from "../../store/audience.js";
import type { HouseholdReach, NoticeActor, NoticeReport, NoticeReportRow } from "./port.js";
import { audienceOf, fanOutFactId, noticeDeliveryKey, noticeGuardianKey, noticeGroup, type NoticeDeps, type NoticeDoc } from "./deps.js";
import { viewOf } from "./messages.js";
import { managedNotice } from "./access.js";
import { countOaRoutes, householdRoute } from "../../domain/oa-route-counts.js";

const REACH_ORDER: HouseholdReach[] = ["reached", "pending", "failed", "unreachable"];

const reachOf = (status: string): HouseholdReach =>
  status === "sent" ? "reached" : status === "queued" || status === "sending" ? "pending" : status === "failed" ? "failed" : "unreachable";

/** The studentIds of the confirmed households of a notice. */
export async function confirmedStudents(deps: NoticeDeps, noticeId: string): Promise<Set<string>> {
  return new Set((await deps.notices.NoticeConfirmation.find({ noticeId }).lean()).map((c) => c.studentId));
}

/** The households *Nhắc lại* reminds: not confirmed, with a reachable guardian (the report's button shows this count). */
export async function householdsToRemind(deps: NoticeDeps, d: NoticeDoc, confirmed?: Set<string>): Promise<Household[]> {
  const done = confirmed ?? (await confirmedStudents(deps, d._id));
  return (await householdsInScope(deps.models, audienceOf(d))).filter((h) => !done.has(h.studentId) && h.guardians.length > 0);
}

/** The report of a notice the actor may manage. */
export async function noticeReport(deps: NoticeDeps, actor: NoticeActor, id: string): Promise<NoticeReport | undefined> {
  const d = await managedNotice(deps, actor, id);
  if (!d) return undefined;
  const notice = await viewOf(deps, d);
  const students = await studentsInScope(deps.models, audienceOf(d));
  const guardians = await guardianIdsOf(deps.models, students.map((s) => s._id));
  const deliveries = await groupStatuses(deps.models, noticeGroup(id));
  const confirmed = await confirmedStudents(deps, id);
  // Until its fan-out job has run, a sent notice's households with a guardian are "being sent".
  const fanningOut = notice.status === "sent" && !(await deps.models.Transition.findById(fanOutFactId(id, 0)).lean());
  const routes = new Map<string, string>();
  const rows: NoticeReportRow[] = students.map((s) => {
    let best = REACH_ORDER.indexOf(fanningOut && guardians.has(s._id) ? "pending" : "unreachable");
    let possibleDuplicate = false;
    let route: string | undefined;
    for (let round = 0; round <= notice.rounds; round++)
      for (const g of guardians.get(s._id) ?? []) {
        const x = deliveries.get(noticeDeliveryKey(id, round, s._id, g)) ?? deliveries.get(noticeGuardianKey(id, round, g));
        if (!x) continue;
        possibleDuplicate ||= x.possibleDuplicate;
        route = householdRoute(route, x);
        best = Math.min(best, REACH_ORDER.indexOf(reachOf(x.status)));
      }
    if (route) routes.set(s._id, route);
    return { studentId: s._id, studentName: s.fullName, reach: REACH_ORDER[best]!, confirmed: confirmed.has(s._id), linked: guardians.has(s._id), possibleDuplicate };
  });
  const oa = countOaRoutes(routes.values());
  const count = (reach: HouseholdReach) => rows.filter((r) => r.reach === reach).length;
  const ack = d.kind === "ack";
  const remind = ack && notice.status === "sent" ? await householdsToRemind(deps, d, confirmed) : [];
  return {
    notice, rows,
    counts: {
      households: rows.length, reached: count("reached"), pending: count("pending"), failed: count("failed"), unreachable: count("unreachable"),
      notLinked: rows.filter((r) => r.reach === "unreachable" && !r.linked).length, blocked: rows.filter((r) => r.reach === "unreachable" && r.linked).length,
      confirmed: rows.filter((r) => r.confirmed).length, notConfirmed: ack ? rows.filter((r) => r.reach === "reached" && !r.confirmed).length : 0,
      toRemind: remind.length, oa,
    },
  };
}
