/**
 * The notices feature's message builders: what a household gets (the notice, a reminder round),
 * the notice as flows show it, and the sender's report with its buttons (also pushed by the
 * report-refresh job).
 */
import { CHOICE_PREFIX, type Choice } from "../../engine/define-flow.js";
import { dateArg, say, type Say, type SayArgs, type SayButton } from "../../engine/say.js";
import {
  confirmPayload, noticeReportKey, type NoticeFile, type NoticeKind, type NoticeReport, type NoticeReportRow,
  type NoticeScope, type NoticeSignature, type NoticeStatus, type NoticeView,
} from "./port.js";
import type { NoticeDeps, NoticeDoc } from "./deps.js";

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
    signerRole: sig.role, signerClass: sig.className, signerTitle: sig.title, signerName: sig.name,
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
    unreachable: r.counts.unreachable, confirmed: r.counts.confirmed, notConfirmed: r.counts.notConfirmed,
    pendingNames: names(r.rows.filter((x) => x.reach === "pending")),
    failedNames: names(r.rows.filter((x) => x.reach === "failed")),
    unreachableNames: names(r.rows.filter((x) => x.reach === "unreachable")),
    notConfirmedNames: names(r.rows.filter((x) => !x.confirmed)),
    confirmedNames: names(r.rows.filter((x) => x.confirmed)),
    duplicates: r.rows.filter((x) => x.possibleDuplicate).length,
    viaOa: r.counts.oa.free + r.counts.oa.paid + r.counts.oa.template + r.counts.oa.otherChannel + r.counts.oa.held,
    oaFree: r.counts.oa.free, oaPaid: r.counts.oa.paid, oaTemplate: r.counts.oa.template, oaOther: r.counts.oa.otherChannel, oaHeld: r.counts.oa.held,
    oaCharged: r.counts.oa.paid + r.counts.oa.template,
  });
}

/** The choice id of re-notify round `round`: a button for a round already decided is stale. */
export const renotifyChoice = (round: number) => `renotify-${round}`;

/** Reads a re-notify choice id back. */
export function parseRenotifyChoice(id: string): number | undefined {
  const m = /^renotify-(\d+)$/.exec(id);
  return m ? Number(m[1]) : undefined;
}

/** The sender's choices under a report. */
export function reportChoices(r: NoticeReport | undefined): Choice[] {
  const choices: Choice[] = [{ id: "refresh", label: { key: "notice-action-refresh" }, aliases: ["xem lai", "cap nhat"] }];
  if (r?.notice.status === "sent" && r.notice.kind === "ack" && r.counts.notConfirmed > 0)
    choices.push({ id: renotifyChoice(r.notice.rounds + 1), label: { key: "notice-action-renotify", args: { count: r.counts.notConfirmed } }, aliases: ["nhac lai", "nhac"] });
  if (r?.notice.status === "scheduled") choices.push({ id: "cancel", label: { key: "notice-action-cancel" }, aliases: ["huy lich", "huy gui"] });
  choices.push({ id: "done", label: { key: "notice-action-done" }, aliases: ["xong", "thoat"] });
  return choices;
}

/**
 * The report as pushed when confirmations arrive: the same message and buttons as the open
 * report (one per row), replacing the report already shown in the sender's chat.
 */
export function reportRefreshSay(r: NoticeReport): Say {
  const buttons: SayButton[][] = reportChoices(r).map((c) => [{ ...c.label, payload: CHOICE_PREFIX + c.id }]);
  return { ...reportSay(r), buttons, replaceKey: noticeReportKey(r.notice.id) };
}
