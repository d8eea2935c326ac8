/** Ban giám hiệu's incident report to the managing authority and the school's concern figures. */
import { isOpen, median, type ConcernStatus } from "../../domain/concern.js";
import { forActor, log, safeKey, type ConcernDeps, type Ticket } from "./context.js";
import type { ConcernActor, ConcernStats, IncidentReport, IncidentResult } from "./port.js";

/**
 * Records an incident report from an urgent ticket. No messaging channel exists for the
 * managing authority: the report is recorded as sent to the configured contact, time-stamped,
 * for the school to forward. Idempotent on the inbound event.
 */
export async function reportIncident(deps: ConcernDeps, actor: ConcernActor, id: string, report: IncidentReport, eventId: string): Promise<IncidentResult> {
  const { t } = await forActor(deps, actor, id, ["principal"]);
  if (!t || !t.urgent) return { status: "not-found" };
  const contact = (await deps.models.School.findById(t.schoolId).lean())?.authorityContact ?? "";
  const reportId = `inc-${id}-${safeKey(eventId)}`.slice(0, 80);
  const now = deps.clock.now();
  await deps.concerns.ConcernIncident.updateOne({ _id: reportId }, {
    $setOnInsert: { concernId: id, schoolId: t.schoolId, ...report, createdBy: actor.identityId, createdAt: now,
      sentTo: contact, sentVia: contact ? "recorded" : "", ...(contact ? { sentAt: now } : {}) },
  }, { upsert: true });
  log(deps, { concernId: id, reportId, authority: Boolean(contact) }, "concern incident recorded");
  return contact ? { status: "recorded", authorityContact: contact, reportId } : { status: "no-authority", reportId };
}

/** Principal only: figures without private content (escalations as the summaries count them from the facts). */
export async function stats(deps: ConcernDeps, actor: ConcernActor): Promise<ConcernStats | undefined> {
  const schools = [...new Set(actor.roles.staff.filter((s) => s.role === "principal" || s.role === "vice-principal").map((s) => s.schoolId))];
  if (schools.length === 0) return undefined;
  const ts = (await deps.concerns.Concern.find({ schoolId: { $in: schools } }).lean()) as Ticket[];
  const byCategory: Record<string, number> = {};
  for (const t of ts) byCategory[t.category] = (byCategory[t.category] ?? 0) + 1;
  const firsts = ts.filter((t) => t.firstResponseAt).map((t) => (new Date(t.firstResponseAt!).getTime() - new Date(t.createdAt).getTime()) / 60_000);
  const m = median(firsts);
  const escalations = ts.reduce((n, t) => n + (t.escalations ?? 0), 0);
  return {
    total: ts.length, byCategory, escalations, open: ts.filter((t) => isOpen(t.status as ConcernStatus)).length,
    ...(m === undefined ? {} : { medianFirstResponseMinutes: Math.round(m) }),
  };
}
