/**
 * The notices service (`BroadcastPort`): notice documents, fan-out to every guardian of every
 * student in scope through the outbox (one delivery per (notice, round, student, guardian),
 * deterministic keys), scheduled sends as delayed jobs, quiet hours, "Đã xem" confirmations
 * (one document per (notice, student)), the per-household report and re-notify rounds.
 *
 * Scheduled-send safety: the job carries the notice's version; cancelling bumps it and
 * removes the waiting job, and a job that was already running re-reads the notice and does
 * nothing when it was cancelled. Sending twice (a retried job, a recovered event) enqueues the
 * same keys, which the outbox ignores.
 */
import { createHash } from "node:crypto";
import type { Address } from "../engine/messages.js";
import type { Clock, OutboxItem } from "../engine/ports.js";
import { dateArg, type Say, type SayArgs } from "../engine/say.js";
import {
  confirmPayload, type BroadcastPort, type CreateNoticeResult, type HouseholdReach, type NoticeActor, type NoticeDraft, type NoticeFile,
  type NoticeKind, type NoticeReport, type NoticeReportRow, type NoticeScheduler, type NoticeScope, type NoticeSignature, type NoticeStatus, type NoticeView,
} from "../engine/ports-broadcast.js";
import { DEFAULT_QUIET_HOURS, type QuietHours } from "../domain/meeting-reminders.js";
import { releaseTime } from "../domain/notice-time.js";
import { compareVietnameseNames } from "../domain/text.js";
import { NO_ROLES } from "../domain/roles.js";
import { isDuplicateKey, type Models } from "./models.js";
import { groupStatuses } from "./deliveries.js";
import type { NoticeModels } from "./notice-models.js";

export interface NoticeServiceDeps {
  models: Models;
  notices: NoticeModels;
  outbox: { enqueueGroup(group: string, items: OutboxItem[]): Promise<void> };
  scheduler: NoticeScheduler;
  clock: Clock;
  quietHours?: QuietHours;
  timeZone?: string;
  /** How far back guardians' `/thongbao` looks (default 30 days). */
  recentDays?: number;
  /** The report pushed to the sender as confirmations arrive (without it: no live refresh). */
  reportRefreshSay?: (report: NoticeReport) => Say;
}

/** Confirmations within one bucket cause at most one report refresh (one edit per 30 s). */
export const REPORT_REFRESH_BUCKET_MS = 30_000;

/** The outbox key of one report refresh: per (notice, 30 s bucket); the sender is the only recipient. */
export const noticeReportRefreshKey = (noticeId: string, bucket: number) => `nrep-${noticeId}-${bucket}`;

type NoticeDoc = {
  _id: string; schoolId: string; scope: string; classGroupId: string; grade: number; kind: string; text: string;
  fileMedia: string; fileRef: string; fileName: string; deadline: Date | null; urgent: boolean; status: string; version: number;
  sendAt: Date | null; sentAt: Date | null; rounds: number; authorIdentityId: string;
  signerRole: string; signerClassName: string; signerTitle: string; signerName: string;
};

interface Guardian {
  identityId: string;
  reachable: boolean;
  address: Address;
}

interface Household {
  studentId: string;
  studentName: string;
  guardians: Guardian[];
}

const DAY_MS = 86_400_000;

/** A short opaque id (9 chars, [a-z0-9]) derived from the creating event: a retried create finds the same notice. */
export function noticeIdFor(eventId: string): string {
  return "n" + BigInt("0x" + createHash("sha256").update(eventId).digest("hex").slice(0, 12)).toString(36).slice(0, 8);
}

/** The outbox group of every delivery of a notice (all rounds). */
export const noticeGroup = (noticeId: string) => `n-${noticeId}`;

/** The delivery key of one message: per (notice, round, student, guardian). */
export const noticeDeliveryKey = (noticeId: string, round: number, studentId: string, identityId: string) => `n-${noticeId}-r${round}-${studentId}-${identityId}`;

/** The student name shown in a sender's preview. */
const PREVIEW_STUDENT = "Nguyễn Văn A";

const REACH_ORDER: HouseholdReach[] = ["reached", "pending", "failed", "unreachable"];

/** Creates the notices service. */
export function createNoticeService(deps: NoticeServiceDeps): BroadcastPort & {
  runScheduled(job: { noticeId: string; version: number }): Promise<"sent" | "skipped">;
  runReportRefresh(job: { noticeId: string; bucket: number }): Promise<"sent" | "skipped">;
} {
  const { models, notices: N, clock } = deps;
  const quiet = deps.quietHours ?? DEFAULT_QUIET_HOURS;
  const tz = deps.timeZone ?? "Asia/Ho_Chi_Minh";
  const recentMs = (deps.recentDays ?? 30) * DAY_MS;

  const load = async (id: string) => (await N.Notice.findById(id).lean()) as NoticeDoc | null;

  const scopeNameOf = async (d: Pick<NoticeDoc, "scope" | "classGroupId" | "grade" | "schoolId">) => {
    if (d.scope === "class") return (await models.ClassGroup.findById(d.classGroupId).lean())?.name ?? "";
    if (d.scope === "grade") return String(d.grade);
    return (await models.School.findById(d.schoolId).lean())?.name ?? "";
  };

  const fileOf = (d: NoticeDoc): NoticeFile | undefined =>
    d.fileRef ? { media: d.fileMedia as NoticeFile["media"], fileRef: d.fileRef, ...(d.fileName ? { fileName: d.fileName } : {}) } : undefined;

  const view = async (d: NoticeDoc): Promise<NoticeView> => {
    const file = fileOf(d);
    return {
      id: d._id, kind: d.kind as NoticeKind, scope: d.scope as NoticeScope["kind"], scopeName: await scopeNameOf(d), text: d.text,
      ...(file ? { file } : {}), ...(d.deadline ? { deadline: new Date(d.deadline) } : {}), urgent: d.urgent, status: d.status as NoticeStatus,
      ...(d.sendAt ? { sendAt: new Date(d.sendAt) } : {}), ...(d.sentAt ? { sentAt: new Date(d.sentAt) } : {}), rounds: d.rounds,
    };
  };

  const signatureOf = (d: NoticeDoc): NoticeSignature => ({
    role: d.signerRole as NoticeSignature["role"], className: d.signerClassName, title: d.signerTitle, name: d.signerName,
  });

  const isPrincipalOf = (actor: NoticeActor, schoolId: string) =>
    actor.roles.staff.some((s) => (s.role === "principal" || s.role === "vice-principal") && s.schoolId === schoolId);

  const mayManage = (actor: NoticeActor, d: NoticeDoc) => d.authorIdentityId === actor.identityId || isPrincipalOf(actor, d.schoolId);

  const managed = async (actor: NoticeActor, id: string) => {
    const d = await load(id);
    return d && mayManage(actor, d) ? d : undefined;
  };

  const currentClassIds = async (schoolId: string, grade?: number): Promise<string[]> => {
    const years = await models.SchoolYear.find({ schoolId, archived: false }).lean();
    const classes = await models.ClassGroup.find({ schoolId, yearId: { $in: years.map((y) => y._id) }, ...(grade ? { grade } : {}) }).lean();
    return classes.map((c) => c._id);
  };

  const classIdsOf = async (d: Pick<NoticeDoc, "scope" | "classGroupId" | "schoolId" | "grade">) =>
    d.scope === "class" ? [d.classGroupId] : currentClassIds(d.schoolId, d.scope === "grade" ? d.grade : undefined);

  /** Every student in scope with every linked guardian (reachable or not), sorted the Vietnamese way. */
  const households = async (d: NoticeDoc): Promise<Household[]> => {
    const students = await models.Student.find({ classGroupId: { $in: await classIdsOf(d) } }).lean();
    const links = await models.GuardianLink.find({ studentId: { $in: students.map((s) => s._id) } }).lean();
    const identities = new Map((await models.ChannelIdentity.find({ _id: { $in: links.map((l) => l.identityId) } }).lean()).map((i) => [i._id, i]));
    const byStudent = new Map<string, Guardian[]>();
    for (const l of links) {
      const i = identities.get(l.identityId);
      if (!i) continue;
      const list = byStudent.get(l.studentId) ?? [];
      list.push({ identityId: i._id, reachable: i.reachable !== false, address: { channel: i.channel as Address["channel"], account: i.account, userId: i.externalUserId, chatId: i.chatId } });
      byStudent.set(l.studentId, list);
    }
    return students
      .sort((a, b) => compareVietnameseNames(a.fullName, b.fullName))
      .map((s) => ({ studentId: s._id, studentName: s.fullName, guardians: byStudent.get(s._id) ?? [] }));
  };

  /** The message one household gets (round 0: the notice; later rounds: a reminder). */
  const messageFor = (d: NoticeDoc, h: Household, round: number, scopeName: string): Say => {
    const sig = signatureOf(d);
    const args: SayArgs = {
      scope: d.scope, scopeName, text: d.text, kind: d.kind, student: h.studentName, urgent: d.urgent ? "yes" : "no",
      signerRole: sig.role, signerClass: sig.className, signerTitle: sig.title, signerName: sig.name,
      ...(d.deadline ? { deadline: dateArg(new Date(d.deadline)) } : {}),
    };
    const file = fileOf(d);
    return {
      key: round === 0 ? "notice-message" : "notice-reminder",
      args,
      ...(d.kind === "ack" ? { buttons: [[{ key: "notice-confirm-button" as const, payload: confirmPayload(d._id, h.studentId) }]] } : {}),
      ...(file ? { file } : {}),
    };
  };

  /** Enqueues one round to these households' reachable guardians; returns the households with someone to reach. */
  const fanOut = async (d: NoticeDoc, hs: Household[], round: number): Promise<{ households: number; deferredUntil?: Date }> => {
    const now = clock.now();
    const release = releaseTime(now, d.urgent, quiet, tz);
    const notBefore = release.getTime() > now.getTime() ? release : undefined;
    const scopeName = await scopeNameOf(d);
    const items: OutboxItem[] = [];
    let reached = 0;
    for (const h of hs) {
      const guardians = h.guardians.filter((g) => g.reachable);
      if (guardians.length === 0) continue;
      reached++;
      const message = messageFor(d, h, round, scopeName);
      for (const g of guardians)
        items.push({ key: noticeDeliveryKey(d._id, round, h.studentId, g.identityId), recipient: g.address, messages: [message], ...(notBefore ? { notBefore } : {}) });
    }
    await deps.outbox.enqueueGroup(noticeGroup(d._id), items);
    return { households: reached, ...(notBefore ? { deferredUntil: notBefore } : {}) };
  };

  /** Marks the notice sent (if still due) and fans it out; idempotent. */
  const dispatch = async (d: NoticeDoc): Promise<{ households: number; deferredUntil?: Date } | undefined> => {
    if (d.status === "cancelled") return undefined;
    if (d.status === "scheduled") {
      await N.Notice.updateOne({ _id: d._id, status: "scheduled", version: d.version }, { $set: { status: "sent", sentAt: clock.now() } });
      const fresh = await load(d._id);
      if (!fresh || fresh.status !== "sent") return undefined;
      d = fresh;
    }
    return fanOut(d, await households(d), 0);
  };

  const signerFor = async (actor: NoticeActor, draft: NoticeDraft) => {
    const scope = draft.scope;
    const teacher = scope.kind === "class"
      ? actor.roles.staff.find((s) => s.role === "homeroom-teacher" && s.classGroupId === scope.classGroupId && s.schoolId === draft.schoolId)
      : undefined;
    const principal = actor.roles.staff.find((s) => (s.role === "principal" || s.role === "vice-principal") && s.schoolId === draft.schoolId);
    const role = teacher ?? principal;
    if (!role) return undefined;
    const staffRole = await models.StaffRole.findOne({ identityId: actor.identityId, schoolId: draft.schoolId, role: role.role }).lean();
    const staff = staffRole ? await models.Staff.findById(staffRole.staffId).lean() : null;
    return {
      signerRole: role.role, signerClassName: role.className, signerName: staff?.fullName ?? role.staffName,
      signerTitle: (staff?.title ?? "").toLocaleLowerCase("vi"),
    };
  };

  const service: BroadcastPort & {
    runScheduled(job: { noticeId: string; version: number }): Promise<"sent" | "skipped">;
    runReportRefresh(job: { noticeId: string; bucket: number }): Promise<"sent" | "skipped">;
  } = {
    async preview(actor, draft) {
      const signer = await signerFor(actor, draft);
      if (!signer || (draft.scope.kind !== "class" && !isPrincipalOf(actor, draft.schoolId))) return { status: "forbidden" };
      const scope = draft.scope;
      const d: NoticeDoc = {
        _id: "preview", schoolId: draft.schoolId, scope: scope.kind, classGroupId: scope.kind === "class" ? scope.classGroupId : "",
        grade: scope.kind === "grade" ? scope.grade : 0, kind: draft.kind, text: draft.text.trim(), fileMedia: draft.file?.media ?? "",
        fileRef: draft.file?.fileRef ?? "", fileName: draft.file?.fileName ?? "", deadline: draft.deadline ?? null, urgent: draft.urgent,
        status: "scheduled", version: 1, sendAt: draft.sendAt ?? null, sentAt: null, rounds: 0, authorIdentityId: actor.identityId, ...signer,
      };
      const sample: Household = { studentId: "preview", studentName: PREVIEW_STUDENT, guardians: [] };
      const message = messageFor(d, sample, 0, await scopeNameOf(d));
      // The preview's button does nothing: it only shows where families will find it.
      return message.buttons ? { ...message, buttons: [[{ key: "notice-confirm-button", payload: "np-preview" }]] } : message;
    },

    async create(actor, draft, eventId): Promise<CreateNoticeResult> {
      const now = clock.now();
      const text = draft.text.trim();
      if (!text) return { status: "invalid", reason: "empty" };
      if (draft.kind === "ack" && !draft.deadline) return { status: "invalid", reason: "deadline-missing" };
      if (draft.sendAt && draft.sendAt.getTime() <= now.getTime()) return { status: "invalid", reason: "send-at-past" };
      if (draft.deadline && draft.deadline.getTime() <= Math.max(now.getTime(), draft.sendAt?.getTime() ?? 0)) return { status: "invalid", reason: "deadline-past" };
      const signer = await signerFor(actor, draft);
      if (!signer) return { status: "forbidden" };
      if (draft.urgent && !isPrincipalOf(actor, draft.schoolId)) return { status: "invalid", reason: "not-urgent-allowed" };
      const scope = draft.scope;
      if (scope.kind !== "class" && !isPrincipalOf(actor, draft.schoolId)) return { status: "forbidden" };
      const _id = noticeIdFor(eventId);
      try {
        await N.Notice.create({
          _id, schoolId: draft.schoolId, scope: scope.kind, classGroupId: scope.kind === "class" ? scope.classGroupId : "",
          grade: scope.kind === "grade" ? scope.grade : 0, kind: draft.kind, text,
          fileMedia: draft.file?.media ?? "", fileRef: draft.file?.fileRef ?? "", fileName: draft.file?.fileName ?? "",
          deadline: draft.deadline ?? null, urgent: draft.urgent, status: "scheduled", version: 1, sendAt: draft.sendAt ?? null,
          rounds: 0, authorIdentityId: actor.identityId, ...signer, createdAt: now,
        });
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
      const d = (await load(_id))!;
      if (d.sendAt && d.status === "scheduled") {
        await deps.scheduler.schedule(_id, d.version, new Date(d.sendAt));
        return { status: "scheduled", notice: await view(d) };
      }
      const done = await dispatch(d);
      return { status: "sent", notice: await view((await load(_id))!), households: done?.households ?? 0, ...(done?.deferredUntil ? { deferredUntil: done.deferredUntil } : {}) };
    },

    async listSent(actor) {
      const schools = actor.roles.staff.filter((s) => s.role === "principal" || s.role === "vice-principal").map((s) => s.schoolId);
      const docs = (await N.Notice.find({ $or: [{ authorIdentityId: actor.identityId }, { schoolId: { $in: schools } }] }).sort({ createdAt: -1 }).limit(8).lean()) as NoticeDoc[];
      return Promise.all(docs.map(view));
    },

    async listForGuardian(actor) {
      const since = new Date(clock.now().getTime() - recentMs);
      const out = new Map<string, { doc: NoticeDoc; students: { studentId: string; studentName: string; confirmed: boolean }[] }>();
      for (const g of actor.roles.guardianOf) {
        const cls = await models.ClassGroup.findById(g.classGroupId).lean();
        if (!cls) continue;
        const docs = (await N.Notice.find({
          status: "sent", schoolId: g.schoolId, sentAt: { $gte: since },
          $or: [{ scope: "class", classGroupId: g.classGroupId }, { scope: "grade", grade: cls.grade }, { scope: "school" }],
        }).lean()) as NoticeDoc[];
        for (const d of docs) {
          const entry = out.get(d._id) ?? { doc: d, students: [] };
          const confirmed = d.kind === "ack" && (await N.NoticeConfirmation.countDocuments({ _id: `${d._id}-${g.studentId}` })) > 0;
          entry.students.push({ studentId: g.studentId, studentName: g.studentName, confirmed });
          out.set(d._id, entry);
        }
      }
      const sorted = [...out.values()].sort((a, b) => new Date(b.doc.sentAt ?? 0).getTime() - new Date(a.doc.sentAt ?? 0).getTime()).slice(0, 5);
      return Promise.all(sorted.map(async (e) => ({ notice: await view(e.doc), signature: signatureOf(e.doc), students: e.students })));
    },

    async report(actor, id) {
      const d = await managed(actor, id);
      if (!d) return undefined;
      const hs = await households(d);
      const deliveries = await groupStatuses(models, noticeGroup(id));
      const confirmed = new Set((await N.NoticeConfirmation.find({ noticeId: id }).lean()).map((c) => c.studentId));
      const rows: NoticeReportRow[] = hs.map((h) => {
        let best = REACH_ORDER.length - 1;
        let possibleDuplicate = false;
        for (let round = 0; round <= d.rounds; round++)
          for (const g of h.guardians) {
            const x = deliveries.get(noticeDeliveryKey(id, round, h.studentId, g.identityId));
            if (!x) continue;
            possibleDuplicate ||= x.possibleDuplicate;
            const reach: HouseholdReach = x.status === "sent" ? "reached" : x.status === "queued" || x.status === "sending" ? "pending" : x.status === "failed" ? "failed" : "unreachable";
            best = Math.min(best, REACH_ORDER.indexOf(reach));
          }
        return { studentId: h.studentId, studentName: h.studentName, reach: REACH_ORDER[best]!, confirmed: confirmed.has(h.studentId), possibleDuplicate };
      });
      const count = (reach: HouseholdReach) => rows.filter((r) => r.reach === reach).length;
      const nConfirmed = rows.filter((r) => r.confirmed).length;
      return {
        notice: await view(d), rows,
        counts: {
          households: rows.length, reached: count("reached"), pending: count("pending"), failed: count("failed"), unreachable: count("unreachable"),
          confirmed: nConfirmed, notConfirmed: d.kind === "ack" ? rows.length - nConfirmed : 0,
        },
      };
    },

    async renotify(actor, id) {
      const d = await managed(actor, id);
      if (!d) return { status: "not-found" };
      if (d.status !== "sent") return { status: "not-sent-yet" };
      if (d.kind !== "ack") return { status: "nothing-to-do" };
      const confirmed = new Set((await N.NoticeConfirmation.find({ noticeId: id }).lean()).map((c) => c.studentId));
      const pending = (await households(d)).filter((h) => !confirmed.has(h.studentId) && h.guardians.some((g) => g.reachable));
      if (pending.length === 0) return { status: "nothing-to-do" };
      const round = d.rounds + 1;
      // The round is a fact of its own; two taps racing compute the same round and the same keys.
      await N.NoticeRound.updateOne({ _id: `${id}-r${round}` }, { $setOnInsert: { noticeId: id, round, by: actor.identityId, households: pending.length, at: clock.now() } }, { upsert: true })
        .catch((err) => { if (!isDuplicateKey(err)) throw err; });
      await N.Notice.updateOne({ _id: id, rounds: { $lt: round } }, { $set: { rounds: round } });
      const { households: n } = await fanOut(d, pending, round);
      return { status: "sent", households: n, round };
    },

    async cancel(actor, id) {
      const d = await managed(actor, id);
      if (!d) return { status: "not-found" };
      if (d.status === "cancelled") return { status: "cancelled", notice: await view(d) };
      const res = await N.Notice.updateOne({ _id: id, status: "scheduled", version: d.version }, { $set: { status: "cancelled", version: d.version + 1 } });
      if (res.modifiedCount === 0) return { status: "already-sent" };
      await deps.scheduler.unschedule(id, d.version);
      return { status: "cancelled", notice: await view((await load(id))!) };
    },

    async confirm(actor, id, studentId) {
      const d = await load(id);
      const g = actor.roles.guardianOf.find((x) => x.studentId === studentId);
      if (!d || !g || d.status !== "sent" || d.kind !== "ack" || d.schoolId !== g.schoolId || !(await classIdsOf(d)).includes(g.classGroupId)) return { status: "not-found" };
      try {
        await N.NoticeConfirmation.create({ _id: `${id}-${studentId}`, noticeId: id, studentId, confirmedBy: actor.identityId, at: clock.now() });
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        return { status: "already", notice: await view(d), studentName: g.studentName };
      }
      if (deps.reportRefreshSay && deps.scheduler.scheduleReportRefresh) {
        const bucket = Math.floor(clock.now().getTime() / REPORT_REFRESH_BUCKET_MS);
        await deps.scheduler.scheduleReportRefresh(id, bucket, new Date((bucket + 1) * REPORT_REFRESH_BUCKET_MS));
      }
      return { status: "confirmed", notice: await view(d), studentName: g.studentName };
    },

    /**
     * At the end of a bucket: the report as it is now, to the sender, replacing the report
     * already shown in their chat. Read at run time, so every confirmation of the bucket counts.
     */
    async runReportRefresh({ noticeId, bucket }) {
      const d = await load(noticeId);
      if (!d || !deps.reportRefreshSay) return "skipped";
      const author = await models.ChannelIdentity.findById(d.authorIdentityId).lean();
      if (!author || author.reachable === false) return "skipped";
      const r = await service.report({ identityId: author._id, roles: NO_ROLES }, noticeId);
      if (!r) return "skipped";
      const recipient: Address = { channel: author.channel as Address["channel"], account: author.account, userId: author.externalUserId, chatId: author.chatId };
      await deps.outbox.enqueueGroup(`nrep-${noticeId}`, [{ key: noticeReportRefreshKey(noticeId, bucket), recipient, messages: [deps.reportRefreshSay(r)] }]);
      return "sent";
    },

    async runScheduled({ noticeId, version }) {
      const d = await load(noticeId);
      if (!d || d.version !== version || d.status === "cancelled") return "skipped";
      return (await dispatch(d)) ? "sent" : "skipped";
    },
  };
  return service;
}

/** Erases a person's traces in the notice collections (/xoadulieu). */
export function noticeEraser(N: NoticeModels) {
  return async ({ identityId }: { identityId?: string }): Promise<Record<string, number>> => {
    if (!identityId) return {};
    const c = await N.NoticeConfirmation.updateMany({ confirmedBy: identityId }, { $set: { confirmedBy: "erased" } });
    const n = await N.Notice.updateMany({ authorIdentityId: identityId }, { $set: { authorIdentityId: "erased" } });
    await N.NoticeRound.updateMany({ by: identityId }, { $set: { by: "erased" } });
    return { noticeConfirmations: c.modifiedCount ?? 0, noticesAuthored: n.modifiedCount ?? 0 };
  };
}
