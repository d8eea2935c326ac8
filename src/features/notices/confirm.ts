/**
 * A guardian's *Đã xem* (one confirmation per (notice, student), whichever guardian presses),
 * and the sender's report refreshed at most once per 30 s as confirmations arrive.
 */
import { isDuplicateKey } from "../../store/models.js";
import { addressOf, classIdsInScope } from "../../store/audience.js";
import { NO_ROLES } from "../../domain/roles.js";
import type { ConfirmResult, NoticeActor } from "./port.js";
import { audienceOf, loadNotice, zoneOf, type NoticeDeps } from "./deps.js";
import { viewOf } from "./messages.js";
import { noticeReport } from "./report.js";

/** Confirmations within one bucket cause at most one report refresh (one edit per 30 s). */
export const REPORT_REFRESH_BUCKET_MS = 30_000;

/** The outbox key of one report refresh: per (notice, 30 s bucket); the sender is the only recipient. */
export const noticeReportRefreshKey = (noticeId: string, bucket: number) => `nrep-${noticeId}-${bucket}`;

export async function confirmNotice(deps: NoticeDeps, actor: NoticeActor, id: string, studentId: string): Promise<ConfirmResult> {
  const d = await loadNotice(deps, id);
  const g = actor.roles.guardianOf.find((x) => x.studentId === studentId);
  if (!d || !g || d.status !== "sent" || d.kind !== "ack" || d.schoolId !== g.schoolId) return { status: "not-found" };
  if (!(await classIdsInScope(deps.models, audienceOf(d))).includes(g.classGroupId)) return { status: "not-found" };
  try {
    await deps.notices.NoticeConfirmation.create({ _id: `${id}-${studentId}`, noticeId: id, studentId, confirmedBy: actor.identityId, at: deps.clock.now() });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    return { status: "already", notice: await viewOf(deps, d), studentName: g.studentName };
  }
  if (deps.reportRefreshSay) {
    const bucket = Math.floor(deps.clock.now().getTime() / REPORT_REFRESH_BUCKET_MS);
    await deps.jobs.scheduleReportRefresh(id, bucket, new Date((bucket + 1) * REPORT_REFRESH_BUCKET_MS));
  }
  return { status: "confirmed", notice: await viewOf(deps, d), studentName: g.studentName };
}

/**
 * At the end of a bucket: the report as it is now, to the sender, replacing the report
 * already shown in their chat. Read at run time, so every confirmation of the bucket counts.
 */
export async function runReportRefresh(deps: NoticeDeps, { noticeId, bucket }: { noticeId: string; bucket: number }): Promise<"sent" | "skipped"> {
  const d = await loadNotice(deps, noticeId);
  if (!d || !deps.reportRefreshSay) return "skipped";
  const recipient = await addressOf(deps.models, d.authorIdentityId);
  const r = recipient && (await noticeReport(deps, { identityId: d.authorIdentityId, roles: NO_ROLES }, noticeId));
  if (!recipient || !r) return "skipped";
  await deps.outbox.enqueueGroup(`nrep-${noticeId}`, [{ key: noticeReportRefreshKey(noticeId, bucket), recipient, messages: [deps.reportRefreshSay(r)], timeZone: await zoneOf(deps, d.schoolId) }]);
  return "sent";
}
