/**
 * The meetings service (`MeetingsPort`): meeting documents, the board agreement, invitations
 * and RSVPs, reminders that follow every change, tally, nudges, minutes, questions, CSV.
 *
 * Reminder safety: changes (reschedule, cancel, held) and reminder runs take the same
 * per-meeting lock; a change bumps `version`, removes the waiting jobs of the old version and
 * marks still-queued reminder deliveries of older versions "failed: superseded". A reminder
 * job re-reads the meeting and does nothing when its version or status moved. So no
 * household gets a reminder for an old time, even when the change lands mid-job.
 */
import { createHash } from "node:crypto";
import { stringify } from "csv-stringify/sync";
import type { Address } from "../engine/messages.js";
import type { Clock, OutboxItem } from "../engine/ports.js";
import { dateArg, say, type Say } from "../engine/say.js";
import type {
  MeetingActor, MeetingDraft, MeetingLock, MeetingReminderScheduler, MeetingsPort, MeetingView, MeetingKind, MeetingStatus,
  RsvpAnswer, TallyRow, CreateMeetingResult, AttendanceInput,
} from "../engine/ports-meetings.js";
import { meetingArgs, opinionPayload, rsvpPayload } from "../engine/ports-meetings.js";
import { planReminders, outsideQuietHours, DEFAULT_LADDER, DEFAULT_QUIET_HOURS, type Rung, type QuietHours } from "../domain/meeting-reminders.js";
import { localParts } from "../domain/time.js";
import { compareVietnameseNames } from "../domain/text.js";
import { isDuplicateKey, type Models } from "./models.js";
import type { MeetingModels } from "./meeting-models.js";
import { meetingSettingsOf } from "./meeting-settings.js";
import { supersede } from "./deliveries.js";

export interface MeetingServiceDeps {
  models: Models;
  meetings: MeetingModels;
  outbox: { enqueueGroup(group: string, items: OutboxItem[]): Promise<void> };
  scheduler: MeetingReminderScheduler;
  lock: MeetingLock;
  clock: Clock;
  /** Used for schools without their own settings document (defaults otherwise). */
  ladder?: readonly Rung[];
  quietHours?: QuietHours;
  timeZone?: string;
}

type MeetingDoc = {
  _id: string; schoolId: string; scope: string; classGroupId: string; grade: number; kind: string; startsAt: Date; place: string;
  agenda: string; status: string; version: number; boardRound: number; organizerIdentityId: string; boardHeadIdentityId: string;
  plannedOffsets: string[]; minutes: string;
};

interface Household {
  studentId: string;
  studentName: string;
  guardians: { identityId: string; address: Address }[];
}

const safeKey = (s: string) => s.replace(/[^A-Za-z0-9_-]/g, "_");

const ACTIVE: MeetingStatus[] = ["draft", "pending-board", "published"];
/** Held meetings stay in the organizer's list this long (opinions, attendance, export). */
const HELD_LISTED_DAYS = 60;

/** A short opaque id (8 chars) derived from the creating event, so a retried create finds the same meeting. */
export function meetingIdFor(eventId: string): string {
  return "m" + BigInt("0x" + createHash("sha256").update(eventId).digest("hex").slice(0, 12)).toString(36).slice(0, 8);
}

/** Creates the meetings service. */
export function createMeetingService(deps: MeetingServiceDeps): MeetingsPort & {
  runReminder(job: { meetingId: string; version: number; offset: string }): Promise<"sent" | "skipped">;
} {
  const { models, meetings: M, clock } = deps;
  const fallback = { ladder: deps.ladder ?? DEFAULT_LADDER, quietHours: deps.quietHours ?? DEFAULT_QUIET_HOURS };
  /** The school's reminder ladder and quiet hours (its settings document, or the defaults). */
  const settingsOf = (schoolId: string) => meetingSettingsOf(M, schoolId, fallback);
  const tz = deps.timeZone ?? "Asia/Ho_Chi_Minh";

  const load = async (id: string) => (await M.Meeting.findById(id).lean()) as MeetingDoc | null;

  const view = async (d: MeetingDoc): Promise<MeetingView> => {
    let scopeName = "";
    if (d.scope === "class") scopeName = (await models.ClassGroup.findById(d.classGroupId).lean())?.name ?? "";
    else if (d.scope === "grade") scopeName = String(d.grade);
    return {
      id: d._id, kind: d.kind as MeetingKind, scope: d.scope as MeetingView["scope"], scopeName, startsAt: new Date(d.startsAt),
      place: d.place, agenda: d.agenda, status: d.status as MeetingStatus, version: d.version, boardRound: d.boardRound,
    };
  };

  const audit = async (meetingId: string, actor: string, action: string, details: Record<string, unknown> = {}, id?: string) => {
    const doc = { meetingId, actor, action, at: clock.now(), details: JSON.stringify(details) };
    if (id) await M.MeetingAudit.updateOne({ _id: id }, { $setOnInsert: doc }, { upsert: true });
    else await M.MeetingAudit.create(doc);
  };

  const isPrincipalOf = (actor: MeetingActor, schoolId: string) =>
    actor.roles.staff.some((s) => (s.role === "principal" || s.role === "vice-principal") && s.schoolId === schoolId);

  const mayOrganize = (actor: MeetingActor, d: MeetingDoc) => d.organizerIdentityId === actor.identityId || isPrincipalOf(actor, d.schoolId);

  /** The organizer's own meeting, or nothing (never tells whether another class's meeting exists). */
  const organized = async (actor: MeetingActor, id: string) => {
    const d = await load(id);
    return d && mayOrganize(actor, d) ? d : undefined;
  };

  const currentClassIds = async (schoolId: string, grade?: number): Promise<string[]> => {
    const years = await models.SchoolYear.find({ schoolId, archived: false }).lean();
    const classes = await models.ClassGroup.find({ schoolId, yearId: { $in: years.map((y) => y._id) }, ...(grade ? { grade } : {}) }).lean();
    return classes.map((c) => c._id);
  };

  const classIdsOf = async (d: Pick<MeetingDoc, "scope" | "classGroupId" | "schoolId" | "grade">) =>
    d.scope === "class" ? [d.classGroupId] : currentClassIds(d.schoolId, d.scope === "grade" ? d.grade : undefined);

  const households = async (d: MeetingDoc): Promise<Household[]> => {
    const students = await models.Student.find({ classGroupId: { $in: await classIdsOf(d) } }).lean();
    const links = await models.GuardianLink.find({ studentId: { $in: students.map((s) => s._id) } }).lean();
    const identities = new Map((await models.ChannelIdentity.find({ _id: { $in: links.map((l) => l.identityId) }, reachable: true }).lean()).map((i) => [i._id, i]));
    return students
      .sort((a, b) => compareVietnameseNames(a.fullName, b.fullName))
      .map((s) => ({
        studentId: s._id, studentName: s.fullName,
        guardians: links.filter((l) => l.studentId === s._id && identities.has(l.identityId)).map((l) => {
          const i = identities.get(l.identityId)!;
          return { identityId: i._id, address: { channel: i.channel as Address["channel"], account: i.account, userId: i.externalUserId, chatId: i.chatId } };
        }),
      }));
  };

  const addressOf = async (identityId: string): Promise<Address | undefined> => {
    const i = await models.ChannelIdentity.findById(identityId).lean();
    return i && i.reachable ? { channel: i.channel as Address["channel"], account: i.account, userId: i.externalUserId, chatId: i.chatId } : undefined;
  };

  const tell = async (group: string, key: string, identityId: string, messages: Say[]) => {
    const recipient = await addressOf(identityId);
    if (recipient) await deps.outbox.enqueueGroup(group, [{ key, recipient, messages }]);
  };

  /** One message per guardian (deduplicated): reminders, changes, minutes. */
  const toGuardians = async (group: string, keyOf: (identityId: string) => string, hs: Household[], messages: Say[]) => {
    const seen = new Map<string, Address>();
    for (const h of hs) for (const g of h.guardians) seen.set(g.identityId, g.address);
    await deps.outbox.enqueueGroup(group, [...seen].map(([identityId, recipient]) => ({ key: keyOf(identityId), recipient, messages })));
    return hs.filter((h) => h.guardians.length > 0).length;
  };

  /** Not urgent: held until the school's quiet hours end (changes and cancellations go at once). */
  const quietAware = async (schoolId: string): Promise<{ notBefore?: Date }> => {
    const now = clock.now();
    const at = outsideQuietHours(now, (await settingsOf(schoolId)).quietHours, tz);
    return at.getTime() > now.getTime() ? { notBefore: at } : {};
  };

  const rsvpButtons = (meetingId: string, studentId: string) => [
    [{ key: "meeting-rsvp-yes" as const, payload: rsvpPayload(meetingId, studentId, "yes") }],
    [{ key: "meeting-rsvp-no" as const, payload: rsvpPayload(meetingId, studentId, "no") }],
    [{ key: "meeting-rsvp-other" as const, payload: rsvpPayload(meetingId, studentId, "other") }],
  ];

  const invitations = async (d: MeetingDoc, hs: Household[], keyPrefix: string, messageKey: "meeting-invite" | "meeting-nudge") => {
    const v = await view(d);
    const when = await quietAware(d.schoolId);
    const items: OutboxItem[] = [];
    for (const h of hs)
      for (const g of h.guardians)
        items.push({ key: `${keyPrefix}-${h.studentId}-${g.identityId}`, recipient: g.address, ...when,
          messages: [say(messageKey, { ...meetingArgs(v), student: h.studentName }, rsvpButtons(d._id, h.studentId))] });
    await deps.outbox.enqueueGroup(keyPrefix, items);
    return hs.filter((h) => h.guardians.length > 0).length;
  };

  const planAndSchedule = async (d: MeetingDoc) => {
    const { ladder, quietHours } = await settingsOf(d.schoolId);
    const plan = planReminders(new Date(d.startsAt), clock.now(), ladder, quietHours, tz);
    await deps.scheduler.schedule(d._id, d.version, plan);
    await M.Meeting.updateOne({ _id: d._id }, { $set: { plannedOffsets: plan.map((p) => p.offset) } });
  };

  /** Stops every reminder of versions up to `version`: waiting jobs and still-queued deliveries. */
  const dropReminders = async (d: MeetingDoc) => {
    await deps.scheduler.unschedule(d._id, d.version, d.plannedOffsets ?? []);
    const groups = Array.from({ length: d.version }, (_, i) => `mrem-${d._id}-v${i + 1}`);
    await supersede(models, groups);
  };

  const publish = async (d: MeetingDoc, actorId: string, how: "board-agreed" | "no-board") => {
    const res = await M.Meeting.updateOne({ _id: d._id, status: { $in: ["draft", "pending-board"] } }, { $set: { status: "published", updatedAt: clock.now() } });
    if (res.modifiedCount === 0) return undefined;
    await audit(d._id, actorId, how === "no-board" ? "published-without-board" : "published", how === "no-board" ? { reason: "no board head in scope" } : {});
    const published = (await load(d._id))!;
    await planAndSchedule(published);
    const reached = await invitations(published, await households(published), `minv-${d._id}`, "meeting-invite");
    return { meeting: await view((await load(d._id))!), households: reached };
  };

  const boardHeadFor = async (d: Pick<MeetingDoc, "scope" | "schoolId" | "classGroupId">) => {
    const filter = d.scope === "class" ? { schoolId: d.schoolId, scope: "class", classGroupId: d.classGroupId, position: "head" } : { schoolId: d.schoolId, scope: "school", position: "head" };
    return (await models.BoardMembership.findOne(filter).lean())?.identityId;
  };

  const sendToBoard = async (d: MeetingDoc, actorId: string): Promise<CreateMeetingResult> => {
    const round = d.boardRound + 1;
    await M.Meeting.updateOne({ _id: d._id }, { $set: { status: "pending-board", boardRound: round, updatedAt: clock.now() } });
    await audit(d._id, actorId, "sent-to-board", { round });
    const fresh = (await load(d._id))!;
    const v = await view(fresh);
    await tell(`mbr-${d._id}`, `mbr-${d._id}-${round}-${d.boardHeadIdentityId}`, d.boardHeadIdentityId, [
      say("meeting-board-request", meetingArgs(v), [[
        { key: "meeting-board-agree", payload: `mb-${d._id}-${round}-a` },
        { key: "meeting-board-revise", payload: `mb-${d._id}-${round}-r` },
      ]]),
    ]);
    return { status: "sent-to-board", meeting: v };
  };

  const guardianMayAnswer = async (actor: MeetingActor, d: MeetingDoc, studentId: string) =>
    actor.roles.guardianOf.some((g) => g.studentId === studentId) && (await classIdsOf(d)).includes(actor.roles.guardianOf.find((g) => g.studentId === studentId)!.classGroupId);

  /** Runs `fn` on the organizer's meeting under the meeting lock. */
  const change = <T>(actor: MeetingActor, id: string, fn: (d: MeetingDoc) => Promise<T>) =>
    deps.lock.withLock(`meeting-${id}`, async () => {
      const d = await organized(actor, id);
      return d ? fn(d) : ({ status: "not-found" } as const);
    });

  const service: MeetingsPort & { runReminder(job: { meetingId: string; version: number; offset: string }): Promise<"sent" | "skipped"> } = {
    async create(actor, draft: MeetingDraft, eventId) {
      const scope = draft.scope;
      const allowed = scope.kind === "class"
        ? actor.roles.staff.some((s) => s.role === "homeroom-teacher" && s.classGroupId === scope.classGroupId && s.schoolId === draft.schoolId) || isPrincipalOf(actor, draft.schoolId)
        : isPrincipalOf(actor, draft.schoolId);
      if (!allowed) return { status: "forbidden" };
      const _id = meetingIdFor(eventId);
      const base = {
        _id, schoolId: draft.schoolId, scope: scope.kind, classGroupId: scope.kind === "class" ? scope.classGroupId : "",
        grade: scope.kind === "grade" ? scope.grade : 0, kind: draft.kind, startsAt: draft.startsAt, place: draft.place, agenda: draft.agenda,
      };
      const head = await boardHeadFor(base);
      try {
        await M.Meeting.create({ ...base, status: "draft", version: 1, boardRound: 0, organizerIdentityId: actor.identityId, boardHeadIdentityId: head ?? "", createdAt: clock.now(), updatedAt: clock.now() });
        await audit(_id, actor.identityId, "created", { startsAt: draft.startsAt.toISOString() });
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
      const d = (await load(_id))!;
      if (d.status !== "draft") return d.status === "pending-board" ? { status: "sent-to-board", meeting: await view(d) } : { status: "published", meeting: await view(d), households: 0 };
      if (head) return sendToBoard(d, actor.identityId);
      const done = await publish(d, actor.identityId, "no-board");
      return done ? { status: "published", ...done } : { status: "published", meeting: await view((await load(_id))!), households: 0 };
    },

    async boardDecision(actor, id, round, decision, comment) {
      const d = await load(id);
      if (!d || d.boardHeadIdentityId !== actor.identityId) return { status: "not-found" };
      if (d.status !== "pending-board" || d.boardRound !== round) return { status: "stale" };
      if (decision === "agree") {
        await audit(id, actor.identityId, "board-agreed", { round });
        const done = await publish(d, actor.identityId, "board-agreed");
        if (!done) return { status: "stale" };
        await tell(`mbd-${id}`, `mbd-${id}-${round}-${d.organizerIdentityId}`, d.organizerIdentityId, [say("meeting-board-agreed-organizer", { ...meetingArgs(done.meeting), households: done.households })]);
        return { status: "published", ...done };
      }
      const res = await M.Meeting.updateOne({ _id: id, status: "pending-board", boardRound: round }, { $set: { status: "draft", updatedAt: clock.now() } });
      if (res.modifiedCount === 0) return { status: "stale" };
      await audit(id, actor.identityId, "board-revision-requested", { round, comment });
      const v = await view((await load(id))!);
      await tell(`mbd-${id}`, `mbd-${id}-${round}-${d.organizerIdentityId}`, d.organizerIdentityId, [say("meeting-board-revise-organizer", { ...meetingArgs(v), comment })]);
      return { status: "revision-requested", meeting: v };
    },

    async resubmit(actor, id, changes) {
      const d = await organized(actor, id);
      if (!d || d.status !== "draft") return { status: "not-found" };
      const set = { ...(changes.agenda ? { agenda: changes.agenda } : {}), ...(changes.place ? { place: changes.place } : {}) };
      if (Object.keys(set).length) {
        await M.Meeting.updateOne({ _id: id }, { $set: set });
        await audit(id, actor.identityId, "edited", set);
      }
      const fresh = (await load(id))!;
      const head = await boardHeadFor(fresh);
      if (head) {
        await M.Meeting.updateOne({ _id: id }, { $set: { boardHeadIdentityId: head } });
        return sendToBoard({ ...fresh, boardHeadIdentityId: head }, actor.identityId);
      }
      const done = await publish(fresh, actor.identityId, "no-board");
      return done ? { status: "published", ...done } : { status: "not-found" };
    },

    async listOrganized(actor) {
      const schools = actor.roles.staff.filter((s) => s.role === "principal" || s.role === "vice-principal").map((s) => s.schoolId);
      const recentlyHeld = { status: "held", startsAt: { $gt: new Date(clock.now().getTime() - HELD_LISTED_DAYS * 86_400_000) } };
      const docs = (await M.Meeting.find({
        $and: [
          { $or: [{ status: { $in: ACTIVE } }, recentlyHeld] },
          { $or: [{ organizerIdentityId: actor.identityId }, { schoolId: { $in: schools } }] },
        ],
      }).sort({ startsAt: 1 }).lean()) as MeetingDoc[];
      return Promise.all(docs.map(view));
    },

    async listForGuardian(actor) {
      const out = new Map<string, { meeting: MeetingView; students: { studentId: string; studentName: string; answer?: RsvpAnswer; reason?: string }[] }>();
      for (const g of actor.roles.guardianOf) {
        const cls = await models.ClassGroup.findById(g.classGroupId).lean();
        if (!cls) continue;
        const docs = (await M.Meeting.find({
          status: "published", startsAt: { $gt: clock.now() }, schoolId: g.schoolId,
          $or: [{ scope: "class", classGroupId: g.classGroupId }, { scope: "grade", grade: cls.grade }, { scope: "school" }],
        }).lean()) as MeetingDoc[];
        for (const d of docs) {
          if (d.scope !== "class" && !(await classIdsOf(d)).includes(g.classGroupId)) continue;
          const entry = out.get(d._id) ?? { meeting: await view(d), students: [] };
          const r = await M.MeetingRsvp.findById(`${d._id}-${g.studentId}`).lean();
          entry.students.push({ studentId: g.studentId, studentName: g.studentName, ...(r ? { answer: r.answer as RsvpAnswer, reason: r.reason } : {}) });
          out.set(d._id, entry);
        }
      }
      return [...out.values()].sort((a, b) => a.meeting.startsAt.getTime() - b.meeting.startsAt.getTime());
    },

    async rsvp(actor, id, studentId, answer, reason, eventId) {
      const d = await load(id);
      if (!d || !(await guardianMayAnswer(actor, d, studentId))) return { status: "not-found" };
      const v = await view(d);
      if (d.status !== "published" || new Date(d.startsAt).getTime() <= clock.now().getTime()) return { status: "closed", meeting: v };
      const doc = { meetingId: id, studentId, answer, reason, answeredBy: actor.identityId, at: clock.now() };
      try {
        await M.MeetingRsvp.updateOne({ _id: `${id}-${studentId}` }, { $set: doc }, { upsert: true });
      } catch (err) {
        // Two guardians answering at once: the upsert that lost the insert race updates instead.
        if (!isDuplicateKey(err)) throw err;
        await M.MeetingRsvp.updateOne({ _id: `${id}-${studentId}` }, { $set: doc });
      }
      const studentName = actor.roles.guardianOf.find((g) => g.studentId === studentId)!.studentName;
      const others = await models.GuardianLink.find({ studentId, identityId: { $ne: actor.identityId } }).lean();
      for (const o of others)
        await tell(`mra-${id}`, `mra-${safeKey(eventId)}-${o.identityId}`, o.identityId, [say("meeting-rsvp-by-other", { ...meetingArgs(v), student: studentName, answer, reason })]);
      return { status: "recorded", meeting: v, studentName, answer };
    },

    async tally(actor, id) {
      const d = await organized(actor, id);
      if (!d) return undefined;
      const hs = await households(d);
      const rsvps = new Map((await M.MeetingRsvp.find({ meetingId: id }).lean()).map((r) => [r.studentId, r]));
      const rows: TallyRow[] = hs.map((h) => {
        const r = rsvps.get(h.studentId);
        return { studentName: h.studentName, answer: (r?.answer as RsvpAnswer | undefined) ?? "none", reason: r?.reason ?? "" };
      });
      const counts = { yes: 0, no: 0, other: 0, none: 0 };
      for (const r of rows) counts[r.answer]++;
      return { meeting: await view(d), rows, counts };
    },

    async nudge(actor, id) {
      const d = await organized(actor, id);
      if (!d) return { status: "not-found" };
      if (d.status !== "published" || new Date(d.startsAt).getTime() <= clock.now().getTime()) return { status: "closed" };
      const p = localParts(clock.now(), tz);
      const day = `${p.year}-${String(p.month).padStart(2, "0")}-${String(p.day).padStart(2, "0")}`;
      try {
        await M.MeetingNudge.create({ _id: `${id}-${day}`, meetingId: id, by: actor.identityId, at: clock.now() });
      } catch (err) {
        if (isDuplicateKey(err)) return { status: "already-today" };
        throw err;
      }
      const answered = new Set((await M.MeetingRsvp.find({ meetingId: id }).lean()).map((r) => r.studentId));
      const silent = (await households(d)).filter((h) => !answered.has(h.studentId));
      await audit(id, actor.identityId, "nudged", { day, households: silent.length });
      return { status: "sent", households: await invitations(d, silent, `mnud-${id}-${day}`, "meeting-nudge") };
    },

    reschedule: (actor, id, startsAt) => change(actor, id, async (d) => {
      if (!ACTIVE.includes(d.status as MeetingStatus)) return { status: "closed", meeting: await view(d) };
      const version = d.version + 1;
      await M.Meeting.updateOne({ _id: id, version: d.version }, { $set: { startsAt, version, updatedAt: clock.now() } });
      await audit(id, actor.identityId, "rescheduled", { from: new Date(d.startsAt).toISOString(), to: startsAt.toISOString(), version });
      const fresh = (await load(id))!;
      const v = await view(fresh);
      if (d.status === "pending-board") {
        await sendToBoard(fresh, actor.identityId);
        return { status: "ok", meeting: await view((await load(id))!), households: 0 };
      }
      if (d.status !== "published") return { status: "ok", meeting: v, households: 0 };
      await dropReminders(d);
      await planAndSchedule(fresh);
      // One notice per (pupil, guardian), at once, with the RSVP buttons again: answers given
      // before are kept (the notice says which) and may be changed.
      const hs = await households(fresh);
      const answers = new Map((await M.MeetingRsvp.find({ meetingId: id }).lean()).map((r) => [r.studentId, r.answer as RsvpAnswer]));
      const items: OutboxItem[] = [];
      for (const h of hs)
        for (const g of h.guardians)
          items.push({ key: `mchg-${id}-v${version}-${h.studentId}-${g.identityId}`, recipient: g.address,
            messages: [say("meeting-rescheduled", { ...meetingArgs(v), old: dateArg(new Date(d.startsAt)), student: h.studentName, answer: answers.get(h.studentId) ?? "none" },
              rsvpButtons(id, h.studentId))] });
      await deps.outbox.enqueueGroup(`mchg-${id}-v${version}`, items);
      return { status: "ok", meeting: v, households: hs.filter((h) => h.guardians.length > 0).length };
    }),

    cancel: (actor, id, reason) => change(actor, id, async (d) => {
      if (!ACTIVE.includes(d.status as MeetingStatus)) return { status: "closed", meeting: await view(d) };
      await M.Meeting.updateOne({ _id: id }, { $set: { status: "cancelled", version: d.version + 1, updatedAt: clock.now() } });
      await audit(id, actor.identityId, "cancelled", { reason });
      const v = await view((await load(id))!);
      if (d.status !== "published") return { status: "ok", meeting: v, households: 0 };
      await dropReminders(d);
      const reached = await toGuardians(`mcan-${id}`, (i) => `mcan-${id}-${i}`, await households(d), [say("meeting-cancelled", { ...meetingArgs(v), reason })]);
      return { status: "ok", meeting: v, households: reached };
    }),

    markHeld: (actor, id, minutes, attendance?: AttendanceInput) => change(actor, id, async (d) => {
      if (d.status !== "published") return { status: "closed", meeting: await view(d) };
      const res = await M.Meeting.updateOne({ _id: id, status: "published", version: d.version }, { $set: { status: "held", minutes, version: d.version + 1, updatedAt: clock.now() } });
      if (res.modifiedCount === 0) return { status: "closed", meeting: await view(d) };
      const hs = await households(d);
      let absentCount = 0;
      if (attendance) {
        // One fact per pupil of the meeting; ids that are not the meeting's pupils are ignored.
        const absent = new Set(attendance.absent);
        for (const h of hs) {
          const present = !absent.has(h.studentId);
          if (!present) absentCount++;
          await M.MeetingAttendance.updateOne({ _id: `${id}-${h.studentId}` },
            { $set: { meetingId: id, studentId: h.studentId, present, recordedBy: actor.identityId, at: clock.now() } }, { upsert: true });
        }
      }
      await audit(id, actor.identityId, "held", { minutesLength: minutes.length, ...(attendance ? { present: hs.length - absentCount, absent: absentCount } : {}) });
      await dropReminders(d);
      const v = await view((await load(id))!);
      // One message per guardian: the minutes, and an opinion button per pupil of theirs in scope.
      const byGuardian = new Map<string, { address: Address; students: { studentId: string; studentName: string }[] }>();
      for (const h of hs)
        for (const g of h.guardians) {
          const entry = byGuardian.get(g.identityId) ?? { address: g.address, students: [] };
          entry.students.push({ studentId: h.studentId, studentName: h.studentName });
          byGuardian.set(g.identityId, entry);
        }
      const when = await quietAware(d.schoolId);
      await deps.outbox.enqueueGroup(`mmin-${id}`, [...byGuardian].map(([identityId, g]) => ({
        key: `mmin-${id}-${identityId}`, recipient: g.address, ...when,
        messages: [say("meeting-minutes", { ...meetingArgs(v), minutes },
          g.students.map((st) => [{ key: "meeting-opinion-button" as const, args: { student: st.studentName }, payload: opinionPayload(id, st.studentId) }]))],
      })));
      return { status: "ok", meeting: v, households: hs.filter((h) => h.guardians.length > 0).length };
    }),

    async attendanceSheet(actor, id) {
      const d = await organized(actor, id);
      if (!d) return undefined;
      const rsvps = new Map((await M.MeetingRsvp.find({ meetingId: id }).lean()).map((r) => [r.studentId, r.answer as RsvpAnswer]));
      const marks = new Map((await M.MeetingAttendance.find({ meetingId: id }).lean()).map((a) => [a.studentId, a.present]));
      return {
        meeting: await view(d),
        students: (await households(d)).map((h) => ({
          studentId: h.studentId, studentName: h.studentName, answer: rsvps.get(h.studentId) ?? "none",
          ...(marks.has(h.studentId) ? { present: marks.get(h.studentId)! } : {}),
        })),
      };
    },

    async giveOpinion(actor, id, studentId, text, anonymous, eventId) {
      const d = await load(id);
      if (!d || !(await guardianMayAnswer(actor, d, studentId))) return { status: "not-found" };
      if (d.status !== "held") return { status: "closed" };
      await M.MeetingOpinion.updateOne({ _id: `o-${safeKey(eventId)}` },
        { $setOnInsert: { meetingId: id, studentId, givenBy: actor.identityId, anonymous, text, at: clock.now() } }, { upsert: true });
      return { status: "ok" };
    },

    async opinions(actor, id) {
      const d = await organized(actor, id);
      if (!d) return undefined;
      const os = await M.MeetingOpinion.find({ meetingId: id }).sort({ at: 1, _id: 1 }).lean();
      const names = new Map((await models.Student.find({ _id: { $in: os.map((o) => o.studentId) } }).lean()).map((st) => [st._id, st.fullName]));
      return os.map((o) => ({ at: o.at, text: o.text, studentName: o.anonymous ? "" : names.get(o.studentId ?? "") ?? "" }));
    },

    async ask(actor, id, studentId, text, anonymous, eventId) {
      const d = await load(id);
      if (!d || !(await guardianMayAnswer(actor, d, studentId))) return { status: "not-found" };
      if (d.status !== "published" || new Date(d.startsAt).getTime() <= clock.now().getTime()) return { status: "closed" };
      await M.MeetingQuestion.updateOne({ _id: `q-${safeKey(eventId)}` },
        { $setOnInsert: { meetingId: id, studentId, askedBy: actor.identityId, anonymous, text, at: clock.now() } }, { upsert: true });
      return { status: "ok" };
    },

    async questions(actor, id) {
      const d = await organized(actor, id);
      if (!d) return undefined;
      const qs = await M.MeetingQuestion.find({ meetingId: id }).sort({ at: 1 }).lean();
      const names = new Map((await models.Student.find({ _id: { $in: qs.map((q) => q.studentId) } }).lean()).map((s) => [s._id, s.fullName]));
      return qs.map((q) => ({ at: q.at, text: q.text, studentName: q.anonymous ? "" : names.get(q.studentId ?? "") ?? "" }));
    },

    async exportCsv(actor, id) {
      const t = await service.tally(actor, id);
      const qs = await service.questions(actor, id);
      const os = await service.opinions(actor, id);
      const sheet = await service.attendanceSheet(actor, id);
      if (!t || !qs || !os || !sheet) return undefined;
      const rows: string[][] = [["section", "student", "answer", "reason_or_question", "at"]];
      for (const r of t.rows) rows.push(["rsvp", r.studentName, r.answer, r.reason, ""]);
      for (const s of sheet.students) if (s.present !== undefined) rows.push(["attendance", s.studentName, s.present ? "present" : "absent", "", ""]);
      for (const q of qs) rows.push(["question", q.studentName, "", q.text, q.at.toISOString()]);
      for (const o of os) rows.push(["opinion", o.studentName, "", o.text, o.at.toISOString()]);
      return "\uFEFF" + stringify(rows);
    },

    async startPetition(actor, studentId, reason, eventId) {
      const g = actor.roles.guardianOf.find((x) => x.studentId === studentId);
      if (!g) return { status: "not-found" };
      const open = await M.MeetingPetition.findOne({ classGroupId: g.classGroupId, status: "open" }).lean();
      if (open) return service.signPetition(actor, open._id, studentId);
      const petitionId = "p" + meetingIdFor(eventId).slice(1);
      try {
        await M.MeetingPetition.create({ _id: petitionId, schoolId: g.schoolId, classGroupId: g.classGroupId, reason, openedBy: actor.identityId, createdAt: clock.now() });
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
      const result = await service.signPetition(actor, petitionId, studentId);
      // Every other household of the class may co-sign; who opened it is not said.
      const others = (await households({ scope: "class", classGroupId: g.classGroupId, schoolId: g.schoolId, grade: 0 } as MeetingDoc)).filter((h) => h.studentId !== studentId);
      const items: OutboxItem[] = [];
      const when = await quietAware(g.schoolId);
      for (const h of others)
        for (const gd of h.guardians)
          items.push({ key: `mpi-${petitionId}-${h.studentId}-${gd.identityId}`, recipient: gd.address, ...when,
            messages: [say("meeting-petition-invite", { reason, student: h.studentName }, [[{ key: "meeting-petition-sign", payload: `mp-${petitionId}-${h.studentId}` }]])] });
      await deps.outbox.enqueueGroup(`mpi-${petitionId}`, items);
      return result;
    },

    async signPetition(actor, petitionId, studentId) {
      const p = await M.MeetingPetition.findById(petitionId).lean();
      const g = actor.roles.guardianOf.find((x) => x.studentId === studentId);
      if (!p || !g || g.classGroupId !== p.classGroupId) return { status: "not-found" };
      const students = await models.Student.countDocuments({ classGroupId: p.classGroupId });
      let fresh = true;
      try {
        await M.MeetingPetitionSignature.create({ _id: `${petitionId}-${studentId}`, petitionId, studentId, signedBy: actor.identityId, at: clock.now() });
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        fresh = false;
      }
      const signatures = await M.MeetingPetitionSignature.countDocuments({ petitionId });
      if (!fresh) return { status: "already-signed", signatures, households: students };
      // Half of the class's households (one per pupil) — counted from signature documents, so no lost update.
      const reached = signatures * 2 >= students;
      if (reached) {
        await M.MeetingPetition.updateOne({ _id: petitionId, status: "open" }, { $set: { status: "reached", reachedAt: clock.now() } });
        const teachers = await models.StaffRole.find({ classGroupId: p.classGroupId, role: "homeroom-teacher" }).lean();
        const head = await boardHeadFor({ scope: "class", schoolId: p.schoolId, classGroupId: p.classGroupId });
        const className = (await models.ClassGroup.findById(p.classGroupId).lean())?.name ?? "";
        for (const identityId of new Set([...teachers.map((t) => t.identityId), ...(head ? [head] : [])]))
          await tell(`mpr-${petitionId}`, `mpr-${petitionId}-${identityId}`, identityId, [say("meeting-petition-reached", { className, reason: p.reason, signatures, households: students })]);
      }
      return { status: "signed", petitionId, signatures, households: students, reached };
    },

    runReminder: ({ meetingId, version, offset }) => deps.lock.withLock(`meeting-${meetingId}`, async () => {
      const d = await load(meetingId);
      if (!d || d.status !== "published" || d.version !== version) return "skipped";
      const declined = new Set((await M.MeetingRsvp.find({ meetingId, answer: "no" }).lean()).map((r) => r.studentId));
      const hs = (await households(d)).filter((h) => !declined.has(h.studentId));
      const v = await view(d);
      await toGuardians(`mrem-${meetingId}-v${version}`, (i) => `mrem-${meetingId}-v${version}-${offset}-${i}`, hs, [say("meeting-reminder", meetingArgs(v))]);
      await audit(meetingId, "system", "reminder-sent", { version, offset }, `${meetingId}-rem-v${version}-${offset}`);
      return "sent";
    }),
  };
  return service;
}

/** Erases a person's traces in the meeting collections (/xoadulieu). */
export function meetingEraser(M: MeetingModels) {
  return async ({ identityId }: { identityId?: string }): Promise<Record<string, number>> => {
    if (!identityId) return {};
    const questions = await M.MeetingQuestion.deleteMany({ askedBy: identityId });
    const opinions = await M.MeetingOpinion.deleteMany({ givenBy: identityId });
    await M.MeetingAttendance.updateMany({ recordedBy: identityId }, { $set: { recordedBy: "erased" } });
    await M.MeetingRsvp.updateMany({ answeredBy: identityId }, { $set: { answeredBy: "erased" } });
    await M.MeetingPetitionSignature.updateMany({ signedBy: identityId }, { $set: { signedBy: "erased" } });
    await M.MeetingPetition.updateMany({ openedBy: identityId }, { $set: { openedBy: "erased" } });
    await M.MeetingNudge.updateMany({ by: identityId }, { $set: { by: "erased" } });
    await M.MeetingAudit.updateMany({ actor: identityId }, { $set: { actor: "erased" } });
    return { meetingQuestions: questions.deletedCount ?? 0, meetingOpinions: opinions.deletedCount ?? 0 };
  };
}
