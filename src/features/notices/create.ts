/**
 * Writing a notice: who may sign it, the preview, and creating it — sent now (the decision is
 * recorded and the fan-out is a job, so the sender's turn returns at once) or scheduled.
 */
import { isDuplicateKey } from "../../store/models.js";
import { householdsInScope } from "../../store/audience.js";
import { leadsSchool } from "../../domain/roles.js";
import type { Say } from "../../engine/say.js";
import type { CreateNoticeResult, NoticeActor, NoticeDraft, NoticeInvalid } from "./port.js";
import { audienceOf, decideDispatch, holdFor, loadNotice, noticeIdFor, type NoticeDeps, type NoticeDoc } from "./deps.js";
import { householdMessage, scopeNameOf, viewOf } from "./messages.js";

/** The student name shown in a sender's preview. */
const PREVIEW_STUDENT = "Nguyễn Văn A";

type Signer = Pick<NoticeDoc, "signerRole" | "signerClassName" | "signerName" | "signerTitle">;

/** How the actor signs this draft (GVCN of its class, or the school's leadership), or undefined when they may not send it. */
export async function signerFor(deps: NoticeDeps, actor: NoticeActor, draft: NoticeDraft): Promise<Signer | undefined> {
  const scope = draft.scope;
  if (scope.kind !== "class" && !leadsSchool(actor.roles, draft.schoolId)) return undefined;
  const teacher = scope.kind === "class"
    ? actor.roles.staff.find((s) => s.role === "homeroom-teacher" && s.classGroupId === scope.classGroupId && s.schoolId === draft.schoolId)
    : undefined;
  const role = teacher ?? actor.roles.staff.find((s) => (s.role === "principal" || s.role === "vice-principal") && s.schoolId === draft.schoolId);
  if (!role) return undefined;
  const staffRole = await deps.models.StaffRole.findOne({ identityId: actor.identityId, schoolId: draft.schoolId, role: role.role }).lean();
  const staff = staffRole ? await deps.models.Staff.findById(staffRole.staffId).lean() : null;
  return { signerRole: role.role, signerClassName: role.className, signerName: staff?.fullName ?? role.staffName, signerTitle: (staff?.title ?? "").toLocaleLowerCase("vi") };
}

/** What is wrong with a draft at `now`, if anything (rights aside). */
export function invalidReason(draft: NoticeDraft, now: Date): NoticeInvalid | undefined {
  if (!draft.text.trim()) return "empty";
  if (draft.kind === "ack" && !draft.deadline) return "deadline-missing";
  if (draft.sendAt && draft.sendAt.getTime() <= now.getTime()) return "send-at-past";
  if (draft.deadline && draft.deadline.getTime() <= Math.max(now.getTime(), draft.sendAt?.getTime() ?? 0)) return "deadline-past";
  return undefined;
}

function docOf(id: string, actor: NoticeActor, draft: NoticeDraft, signer: Signer): NoticeDoc {
  const scope = draft.scope;
  return {
    _id: id, schoolId: draft.schoolId, scope: scope.kind, classGroupId: scope.kind === "class" ? scope.classGroupId : "",
    grade: scope.kind === "grade" ? scope.grade : 0, kind: draft.kind, text: draft.text.trim(), fileMedia: draft.file?.media ?? "",
    fileRef: draft.file?.fileRef ?? "", fileName: draft.file?.fileName ?? "", deadline: draft.deadline ?? null, urgent: draft.urgent,
    status: "scheduled", sendAt: draft.sendAt ?? null, sentAt: null, authorIdentityId: actor.identityId, ...signer,
  };
}

/** Exactly what the first household would get (with a sample student), or "forbidden". */
export async function previewNotice(deps: NoticeDeps, actor: NoticeActor, draft: NoticeDraft): Promise<Say | { status: "forbidden" }> {
  const signer = await signerFor(deps, actor, draft);
  if (!signer) return { status: "forbidden" };
  const d = docOf("preview", actor, draft, signer);
  const message = householdMessage(d, { studentId: "preview", studentName: PREVIEW_STUDENT }, 0, await scopeNameOf(deps, d));
  // The preview's button does nothing: it only shows where families will find it.
  return message.buttons ? { ...message, buttons: [[{ key: "notice-confirm-button", payload: "np-preview" }]] } : message;
}

/** Creates and sends (or schedules) a notice; idempotent per `eventId`. */
export async function createNotice(deps: NoticeDeps, actor: NoticeActor, draft: NoticeDraft, eventId: string): Promise<CreateNoticeResult> {
  const reason = invalidReason(draft, deps.clock.now());
  if (reason) return { status: "invalid", reason };
  const signer = await signerFor(deps, actor, draft);
  if (!signer) return { status: "forbidden" };
  if (draft.urgent && !leadsSchool(actor.roles, draft.schoolId)) return { status: "invalid", reason: "not-urgent-allowed" };
  const id = noticeIdFor(eventId);
  try {
    await deps.notices.Notice.create({ ...docOf(id, actor, draft, signer), createdAt: deps.clock.now() });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
  const d = (await loadNotice(deps, id))!;
  if (d.sendAt && d.status === "scheduled") {
    await deps.jobs.schedule(id, new Date(d.sendAt));
    return { status: "scheduled", notice: await viewOf(deps, d) };
  }
  return sendNow(deps, d, actor.identityId);
}

/** Decides "sent" and hands the fan-out to its job; returns how many households it will reach. */
async function sendNow(deps: NoticeDeps, d: NoticeDoc, actor: string): Promise<CreateNoticeResult> {
  const decision = await decideDispatch(deps, d._id, "sent", actor);
  const notice = await viewOf(deps, (await loadNotice(deps, d._id))!);
  if (decision.fact.kind !== "sent") return { status: "scheduled", notice };
  await deps.jobs.fanOut(d._id, 0);
  const households = (await householdsInScope(deps.models, audienceOf(d))).filter((h) => h.guardians.length > 0).length;
  const { notBefore } = await holdFor(deps, d, deps.clock.now());
  return { status: "sent", notice, households, ...(notBefore ? { deferredUntil: notBefore } : {}) };
}
