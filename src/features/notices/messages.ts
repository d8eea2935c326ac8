/**
 * The notices feature's message builders: what a household gets (the notice, a reminder round),
 * the notice as flows show it, and the sender's report with its buttons (also pushed by the
 * report-refresh job).
 */
import { oaRouteArgs } from "../../domain/oa-route-counts.js";
import type { Choice } from "../../engine/define-flow.js";
import { dateArg, say, type Say, type SayArgs, type SayButton } from "../../engine/say.js";
import {
  confirmPayload, noticeReportKey, type NoticeFile, type NoticeKind, type NoticeReport, type NoticeReportRow,
  type NoticeScope, type NoticeSignature, type NoticeStatus, type NoticeView,
} from "./port.js";
import type { NoticeDeps, NoticeDoc } from "./deps.js";
import { titleCode } from "../../domain/address.js";

export function fileOf(d: NoticeDoc): NoticeFile | undefined {
  return d.fileRef ? { media: d.fileMedia as NoticeFile["media"], fileRef: d.fileRef, ...(d.fileName ? { fileName: d.fileName } : {}) } : undefined;
}

export function signatureOf(d: NoticeDoc): NoticeSignature {
  return { role: d.signerRole as NoticeSignature["role"], className: d.signerClassName, title: d.signerTitle, name: d.signerName };
}

/** The class name, "6" for a grade, or the school's name. */
export async function scopeNameOf(deps: Pick<NoticeDeps, "models">, d: Pick<NoticeDoc, "scope" | "classGroupId" | "grade" | "schoolId">): Promise<string> {
  if (d.scope === "class") return (await deps.models.ClassGroup.findById(d.classGroupId).lean())?.name ?? "";
  if (d.scope === "grade") return String(d.grade);
  return (await deps.models.School.findById(d.schoolId).lean())?.name ?? "";
}

/** The notice as flows show it; `rounds` counts the re-notify rounds decided. */
export async function viewOf(deps: Pick<NoticeDeps, "models" | "notices">, d: NoticeDoc): Promise<NoticeView> {
  const file = fileOf(d);
  const rounds = d._id === "preview" ? 0 : await deps.notices.NoticeRound.countDocuments({ noticeId: d._id });
  return {
    id: d._id, kind: d.kind as NoticeKind, scope: d.scope as NoticeScope["kind"], scopeName: await scopeNameOf(deps, d), text: d.text,
    ...(file ? { file } : {}), ...(d.deadline ? { deadline: new Date(d.deadline) } : {}), urgent: d.urgent, status: d.status as NoticeStatus,
    ...(d.sendAt ? { sendAt: new Date(d.sendAt) } : {}), ...(d.sentAt ? { sentAt: new Date(d.sentAt) } : {}), rounds,
  };
}

/** The message one household gets (round 0: the notice; later rounds: a reminder). */
export function householdMessage(d: NoticeDoc, household: { studentId: string; studentName: string } | readonly { studentId: string; studentName: string }[], round: number, scopeName: string): Say {
  // A guardian of several children in scope gets one message naming them all, with one "Đã xem" per child.
  const children = Array.isArray(household) ? household : [household as { studentId: string; studentName: string }];
  const h = children[0]!;
  const sig = signatureOf(d);
  const args: SayArgs = {
    scope: d.scope, scopeName, text: d.text, kind: d.kind, student: children.map((c) => c.studentName).join(", "), urgent: d.urgent ? "yes" : "no",
    signerRole: sig.role, signerClass: sig.className, signerTitle: titleCode(sig.title), signerName: sig.name,
    ...(d.deadline ? { deadline: dateArg(new Date(d.deadline)) } : {}),
  };
  const file = fileOf(d);
  return {
    key: round === 0 ? "notice-message" : "notice-reminder",
    args,
    ...(d.kind === "ack" ? {
      buttons: children.length === 1 ? [[{ key: "notice-confirm-button" as const, payload: confirmPayload(d._id, h.studentId) }]]
        : children.map((c) => [{ key: "notice-confirm-for" as const, args: { student: c.studentName }, payload: confirmPayload(d._id, c.studentId) }]),
    } : {}),
    ...(file ? { file } : {}),
  };
}

/** Names shown per list before "… and N more" (a school-wide report stays readable). */
const MAX_NAMES = 40;

function names(rows: NoticeReportRow[]): string {
  if (rows.length === 0) return "—";
  const shown = rows.slice(0, MAX_NAMES).map((r) => r.studentName + (r.possibleDuplicate ? " (*)" : ""));
  return shown.join(", ") + (rows.length > MAX_NAMES ? ` (+${rows.length - MAX_NAMES})` : "");
}

/** The report as one message. */
export function reportSay(r: NoticeReport): Say {
  const n = r.notice;
  return say("notice-report", {
    kind: n.kind, scope: n.scope, scopeName: n.scopeName, status: n.status, rounds: n.rounds,
    when: dateArg(n.sentAt ?? n.sendAt ?? new Date(0)),
    deadline: n.deadline ? dateArg(n.deadline) : "",
    households: r.counts.households, reached: r.counts.reached, pending: r.counts.pending, failed: r.counts.failed,
    confirmed: r.counts.confirmed, notConfirmed: r.counts.notConfirmed,
    notLinked: r.counts.notLinked, blocked: r.counts.blocked,
    notLinkedNames: names(r.rows.filter((x) => x.reach === "unreachable" && !x.linked)),
    blockedNames: names(r.rows.filter((x) => x.reach === "unreachable" && x.linked)),
    pendingNames: names(r.rows.filter((x) => x.reach === "pending")),
    failedNames: names(r.rows.filter((x) => x.reach === "failed")),
    notConfirmedNames: names(r.rows.filter((x) => x.reach === "reached" && !x.confirmed)),
    confirmedNames: names(r.rows.filter((x) => x.confirmed)),
    duplicates: r.rows.filter((x) => x.possibleDuplicate).length,
    ...oaRouteArgs(r.counts.oa),
  });
}

/**
 * A report action as a choice id, naming the notice it was shown under ("renotify-2.<id>"): a
 * button acts on its own notice, never on the one the sender has open now. Re-notify carries
 * its round, so a button for a round already decided is stale.
 */
export type ReportAction = { action: "refresh" | "cancel" | "done"; noticeId: string } | { action: "renotify"; round: number; noticeId: string };

export const reportChoiceId = (a: ReportAction) => `${a.action === "renotify" ? `renotify-${a.round}` : a.action}.${a.noticeId}`;

/** Reads a report choice id back. */
export function parseReportChoice(id: string): ReportAction | undefined {
  const m = /^(refresh|cancel|done|renotify-(\d+))\.([A-Za-z0-9_-]{1,40})$/.exec(id);
  if (!m) return undefined;
  return m[2] !== undefined ? { action: "renotify", round: Number(m[2]), noticeId: m[3]! } : { action: m[1] as "refresh" | "cancel" | "done", noticeId: m[3]! };
}

/** Payload prefix of the report's buttons: actions on their notice, working whatever conversation is open. */
export const REPORT_ACTION_PREFIX = "nr-";

/** The sender's choices under a report; each button is an action on this notice ("nr-<choice id>"). */
export function reportChoices(r: NoticeReport | undefined): Choice[] {
  if (!r) return [];
  const noticeId = r.notice.id;
  const choices: Choice[] = [{ id: reportChoiceId({ action: "refresh", noticeId }), label: { key: "notice-action-refresh" }, aliases: ["xem lai", "cap nhat"] }];
  if (r.notice.status === "sent" && r.notice.kind === "ack" && r.counts.toRemind > 0)
    choices.push({ id: reportChoiceId({ action: "renotify", round: r.notice.rounds + 1, noticeId }), label: { key: "notice-action-renotify", args: { count: r.counts.toRemind } }, aliases: ["nhac lai", "nhac"] });
  if (r.notice.status === "scheduled") choices.push({ id: reportChoiceId({ action: "cancel", noticeId }), label: { key: "notice-action-cancel" }, aliases: ["huy lich", "huy gui"] });
  choices.push({ id: reportChoiceId({ action: "done", noticeId }), label: { key: "notice-action-done" }, aliases: ["xong", "thoat"] });
  return choices.map((c) => ({ ...c, payload: REPORT_ACTION_PREFIX + c.id }));
}

/**
 * The report as pushed when confirmations arrive: the same message and buttons as the open
 * report (one per row), replacing the report already shown in the sender's chat. Its buttons
 * are actions on this notice ("nr-<choice id>"), not answers to whatever step is open.
 */
export function reportRefreshSay(r: NoticeReport): Say {
  const buttons: SayButton[][] = reportChoices(r).map((c) => [{ ...c.label, payload: c.payload! }]);
  return { ...reportSay(r), buttons, replaceKey: noticeReportKey(r.notice.id) };
}
