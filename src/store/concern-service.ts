/**
 * The concerns service (`ConcernsPort`): tickets from a guardian to the homeroom teacher (or
 * Ban giám hiệu), relayed messages through the outbox, the status machine, school-hours
 * clocks as delayed jobs, escalation, closing with a rating, reopening, incident reports and
 * figures for the principal.
 *
 * Safety of the clocks: a clock job carries (ticket, kind, cycle) only; `runClock` re-reads the
 * ticket and does nothing when it was answered, resolved, or its cycle moved. An escalation
 * is one `ConcernEvent` with a deterministic `_id` (`<ticket>-esc-<kind>-c<cycle>`), and its
 * messages use deterministic outbox keys, so a job run twice (a worker dying mid-job)
 * escalates exactly once.
 *
 * Privacy: staff are never shown the guardian's phone, handle or display name — households are
 * "phụ huynh em <student>"; logs carry ids only.
 */
import { randomBytes } from "node:crypto";
import type { Address, ChannelName } from "../engine/messages.js";
import type { Clock, OutboxItem } from "../engine/ports.js";
import { dateArg, say, type Say } from "../engine/say.js";
import {
  ratingButtons, ticketButtons, type ConcernActionResult, type ConcernActor, type ConcernClockJob, type ConcernClockScheduler,
  type ConcernStats, type ConcernSummary, type ConcernView, type ConcernViewer, type ConcernsPort, type CreateConcernResult, type StaffQuietHours,
} from "../engine/ports-concerns.js";
import {
  isOpen, median, nextStatus, reopenDecision, routeFor, ticketNumber, type ConcernCategory, type ConcernEventType, type ConcernStatus,
} from "../domain/concern.js";
import {
  DEFAULT_CALENDAR, addSchoolDays, addSchoolHours, isNightWindow, isSchoolDay, quietEnds, schoolHoursBetween, isoDate, type QuietHours, type SchoolCalendar,
} from "../domain/school-clock.js";
import { localParts } from "../domain/time.js";
import { isDuplicateKey, type Models } from "./models.js";
import type { ConcernModels } from "./concern-models.js";
import { currentYearName, designatedIdentity, readCalendar, yearNameOfClass } from "./concern-calendar.js";

export interface ConcernServiceDeps {
  models: Models;
  concerns: ConcernModels;
  outbox: { enqueueGroup(group: string, items: OutboxItem[]): Promise<void> };
  scheduler: ConcernClockScheduler;
  clock: Clock;
  timeZone?: string;
  logger?: { info(obj: object, msg: string): void };
}

export interface CalendarSettings {
  calendar: SchoolCalendar;
  firstResponseHours: number;
  resolutionDays: number;
}

type Ticket = {
  _id: string; schoolId: string; seq: number; number: string; eventId: string; studentId: string; classGroupId: string;
  guardianIdentityId: string; yearName?: string | null; category: string; urgent: boolean; status: string; escalations: number; cycle: number;
  firstResponseDueAt?: Date | null; resolutionDueAt?: Date | null; deliverAt?: Date | null; firstResponseAt?: Date | null;
  resolvedAt?: Date | null; confirmedAt?: Date | null; rating: number; reopens: number; createdAt: Date; updatedAt: Date;
  awaitsTeacher?: boolean; awaitsPrincipal?: boolean;
};

const safeKey = (s: string) => s.replace(/[^A-Za-z0-9_-]/g, "_");

/** A short opaque ticket id: 10 base-36 characters. */
function newTicketId(): string {
  return "t" + BigInt("0x" + randomBytes(8).toString("hex")).toString(36).padStart(9, "0").slice(0, 9);
}

/** Creates the concerns service. */
export function createConcernService(deps: ConcernServiceDeps): ConcernsPort & {
  runClock(job: ConcernClockJob): Promise<"escalated" | "skipped">;
  runDigest(): Promise<number>;
  runAssign(): Promise<number>;
  settingsOf(schoolId: string, yearName?: string): Promise<CalendarSettings>;
} {
  const { models, concerns: C, clock } = deps;
  const tz = deps.timeZone ?? "Asia/Ho_Chi_Minh";
  const log = (obj: object, msg: string) => deps.logger?.info(obj, msg);

  /** A ticket's year: stored when raised, else that of its class (tickets raised before years were kept). */
  const yearOf = async (t: Pick<Ticket, "classGroupId" | "yearName">) => t.yearName || (await yearNameOfClass(models, t.classGroupId));
  const settingsFor = async (t: Pick<Ticket, "schoolId" | "classGroupId" | "yearName">) => settingsOf(t.schoolId, await yearOf(t));

  const load = async (id: string) => (await C.Concern.findById(id).lean()) as Ticket | null;

  /** The calendar of a school year ("" = the school-wide one, or the defaults). */
  const settingsOf = async (schoolId: string, yearName = ""): Promise<CalendarSettings> => {
    const { calendar: c, source } = await readCalendar(C, schoolId, yearName);
    if (source === "default") return { calendar: { ...DEFAULT_CALENDAR, timeZone: tz }, firstResponseHours: 8, resolutionDays: 3 };
    return {
      calendar: {
        timeZone: tz, schoolDays: c.schoolDays, dayStart: c.dayStart, dayEnd: c.dayEnd, holidays: c.holidays,
        quiet: { start: c.quietStart, end: c.quietEnd, sundays: c.quietSundays },
      },
      firstResponseHours: c.firstResponseHours, resolutionDays: c.resolutionDays,
    };
  };

  // ---- people -------------------------------------------------------------------------
  const homeroomTeachers = async (classGroupId: string) =>
    (await models.StaffRole.find({ role: "homeroom-teacher", classGroupId }).lean()).map((r) => r.identityId);
  /** Ban giám hiệu for a ticket: the vice-principal the year's calendar designates (when linked), else the principal(s). */
  const principals = async (schoolId: string, yearName = "") => {
    const designated = await designatedIdentity(models, schoolId, (await readCalendar(C, schoolId, yearName)).calendar);
    if (designated) return [designated];
    const p = await models.StaffRole.find({ schoolId, role: "principal" }).lean();
    const list = p.length > 0 ? p : await models.StaffRole.find({ schoolId, role: "vice-principal" }).lean();
    return [...new Set(list.map((r) => r.identityId))];
  };
  const addresses = async (identityIds: string[]) => {
    const ids = await models.ChannelIdentity.find({ _id: { $in: identityIds }, reachable: true }).lean();
    return ids.map((i) => ({ identityId: i._id, address: { channel: i.channel as ChannelName, account: i.account, userId: i.externalUserId, chatId: i.chatId } as Address }));
  };
  const studentAndClass = async (t: Pick<Ticket, "studentId" | "classGroupId">) => {
    const [s, c] = await Promise.all([models.Student.findById(t.studentId).lean(), models.ClassGroup.findById(t.classGroupId).lean()]);
    return { studentName: s?.fullName ?? "", className: c?.name ?? "" };
  };

  // ---- authority ----------------------------------------------------------------------
  const teachesClass = (actor: ConcernActor, classGroupId: string) =>
    actor.roles.staff.some((s) => s.role === "homeroom-teacher" && s.classGroupId === classGroupId);
  const leadsSchool = (actor: ConcernActor, schoolId: string) =>
    actor.roles.staff.some((s) => (s.role === "principal" || s.role === "vice-principal") && s.schoolId === schoolId);
  /** The principal sees urgent, about-a-teacher and escalated tickets; the rest only as figures. */
  const principalMaySee = (t: Ticket) => t.urgent || t.category === "teacher" || t.escalations > 0 || t.status === "escalated";

  const viewerOf = (actor: ConcernActor, t: Ticket): ConcernViewer | undefined => {
    if (t.guardianIdentityId === actor.identityId) return "guardian";
    if (t.category !== "teacher" && teachesClass(actor, t.classGroupId)) return "teacher";
    if (leadsSchool(actor, t.schoolId) && principalMaySee(t)) return "principal";
    return undefined;
  };

  const summary = async (t: Ticket): Promise<ConcernSummary> => ({
    id: t._id, number: t.number, category: t.category as ConcernCategory, status: t.status as ConcernStatus, urgent: t.urgent,
    ...(await studentAndClass(t)), createdAt: new Date(t.createdAt),
    ...(isOpen(t.status as ConcernStatus) ? { dueAt: new Date((t.firstResponseAt ? t.resolutionDueAt : t.firstResponseDueAt) ?? t.createdAt) } : {}),
  });

  // ---- facts --------------------------------------------------------------------------
  const record = async (t: Ticket, type: string, actor: string, extra: { from?: string; to?: string; details?: object; id?: string } = {}) => {
    const doc = { concernId: t._id, schoolId: t.schoolId, type, actor, at: clock.now(), from: extra.from ?? "", to: extra.to ?? "", details: JSON.stringify(extra.details ?? {}) };
    if (!extra.id) {
      await C.ConcernEvent.create(doc);
      return true;
    }
    try {
      await C.ConcernEvent.create({ _id: extra.id, ...doc });
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  };

  /** Moves the ticket by `event` (compare-and-set on its status); the new ticket or why not. */
  const move = async (t: Ticket, event: ConcernEventType, actor: string, set: Record<string, unknown> = {}, inc: Record<string, number> = {}) => {
    const next = nextStatus(t.status as ConcernStatus, event);
    if (!next.ok) return { ok: false as const, reason: next.reason };
    const r = await C.Concern.updateOne({ _id: t._id, status: t.status, cycle: t.cycle },
      { $set: { status: next.status, updatedAt: clock.now(), ...set }, ...(Object.keys(inc).length ? { $inc: inc } : {}) });
    if (r.modifiedCount === 0) {
      // Somebody else moved it first: act on what it is now.
      const fresh = (await load(t._id))!;
      if (fresh.status === t.status && fresh.cycle === t.cycle) return { ok: true as const, ticket: fresh, changed: false };
      return move(fresh, event, actor, set, inc);
    }
    if (next.status !== t.status) await record(t, "status", actor, { from: t.status, to: next.status, details: { event } });
    return { ok: true as const, ticket: (await load(t._id))!, changed: next.status !== t.status };
  };

  // ---- messages -----------------------------------------------------------------------
  const firstText = async (t: Ticket) => {
    const m = await C.ConcernMessage.findOne({ concernId: t._id }).sort({ at: 1 }).lean();
    return { text: m?.text ?? "", photoRef: m?.photoRef ?? "" };
  };

  const ticketSays = async (t: Ticket, key: "concern-to-staff" | "concern-escalated-to-principal" | "concern-handed-back-teacher" | "concern-reopened-staff",
    viewer: ConcernViewer, extra: Record<string, string | number> = {}): Promise<Say[]> => {
    const { studentName, className } = await studentAndClass(t);
    const { text, photoRef } = await firstText(t);
    const main = say(key, {
      number: t.number, student: studentName, className, category: t.category, text, urgent: t.urgent ? "yes" : "no",
      respondBy: dateArg(new Date(t.firstResponseDueAt ?? t.createdAt)), ...extra,
    }, ticketButtons(t._id, viewer, { urgent: t.urgent, status: t.status }));
    return photoRef ? [main, { ...say("concern-photo", { number: t.number }), file: { media: "photo", fileRef: photoRef } }] : [main];
  };

  const send = async (group: string, items: OutboxItem[]) => {
    if (items.length > 0) await deps.outbox.enqueueGroup(group, items);
  };

  /** `notBefore`: one instant for all, or one per recipient (their quiet hours). */
  const toIdentities = async (t: Ticket, tag: string, identityIds: string[], messages: Say[] | ((identityId: string) => Promise<Say[]>),
    notBefore?: Date | ((identityId: string) => Date)) => {
    const people = await addresses(identityIds);
    const items: OutboxItem[] = [];
    for (const p of people) {
      const at = typeof notBefore === "function" ? notBefore(p.identityId) : notBefore;
      items.push({ key: `pa-${t._id}-${tag}-${p.identityId}`, recipient: p.address, messages: typeof messages === "function" ? await messages(p.identityId) : messages,
        ...(at && at.getTime() > clock.now().getTime() ? { notBefore: at } : {}) });
    }
    await send(`pa-${t._id}`, items);
    return people.length;
  };

  const tellGuardian = (t: Ticket, tag: string, messages: Say[]) => toIdentities(t, tag, [t.guardianIdentityId], messages);

  // ---- quiet hours ------------------------------------------------------------------
  /** Each staff member's quiet hours: their own document, else `fallback` (the school's). */
  const quietFor = async (identityIds: string[], fallback: QuietHours) => {
    const quiet = new Map<string, QuietHours>(identityIds.map((id) => [id, fallback]));
    if (identityIds.length === 0) return quiet;
    for (const d of await C.StaffQuietHours.find({ _id: { $in: identityIds } }).lean()) quiet.set(d._id, { start: d.start, end: d.end, sundays: d.sundays });
    return quiet;
  };

  /** Non-urgent messages to staff wait for the end of each recipient's quiet hours; urgent ones go at once. */
  const staffTimes = async (t: Ticket, identityIds: string[]) => {
    if (t.urgent) return undefined;
    const quiet = await quietFor(identityIds, (await settingsFor(t)).calendar.quiet);
    const now = clock.now();
    return (identityId: string) => quietEnds(quiet.get(identityId)!, now, tz);
  };

  /** Who answers first (the reachable homeroom teacher, or Ban giám hiệu), and the quiet hours the clocks pause in. */
  const handlerQuiet = async (t: Pick<Ticket, "schoolId" | "classGroupId" | "category" | "yearName">, calendar: SchoolCalendar) => {
    const route = routeFor(t.category as ConcernCategory);
    const teachers = route.teacher ? (await addresses(await homeroomTeachers(t.classGroupId))).map((p) => p.identityId) : [];
    const handlers = teachers.length > 0 ? teachers : (await addresses(await principals(t.schoolId, await yearOf(t)))).map((p) => p.identityId);
    const quiet = await quietFor(handlers, calendar.quiet);
    const now = clock.now();
    // Several teachers of one class: the one who can read it first sets the promise.
    let best: QuietHours = calendar.quiet;
    let bestAt: number | undefined;
    for (const q of quiet.values()) {
      const at = quietEnds(q, now, tz).getTime();
      if (bestAt === undefined || at < bestAt) [best, bestAt] = [q, at];
    }
    return best;
  };

  const handlers = async (t: Ticket) => {
    const route = routeFor(t.category as ConcernCategory);
    const teachers = route.teacher && t.status !== "escalated" ? await homeroomTeachers(t.classGroupId) : [];
    const heads = route.principal || t.status === "escalated" || t.escalations > 0 ? await principals(t.schoolId, await yearOf(t)) : [];
    return { teachers, heads };
  };

  const scheduleClocks = async (t: Ticket, from: Date, withFirstResponse: boolean) => {
    const school = await settingsFor(t);
    // The clocks pause in the quiet hours of whoever answers.
    const s = { ...school, calendar: { ...school.calendar, quiet: await handlerQuiet(t, school.calendar) } };
    const firstDue = addSchoolHours(s.calendar, from, s.firstResponseHours);
    const resolutionDue = addSchoolDays(s.calendar, from, s.resolutionDays);
    await C.Concern.updateOne({ _id: t._id }, { $set: { ...(withFirstResponse ? { firstResponseDueAt: firstDue } : {}), resolutionDueAt: resolutionDue } });
    if (withFirstResponse) await deps.scheduler.schedule({ concernId: t._id, kind: "first-response", cycle: t.cycle }, firstDue);
    await deps.scheduler.schedule({ concernId: t._id, kind: "resolution", cycle: t.cycle }, resolutionDue);
    return { firstDue, resolutionDue };
  };

  /** Hands a ticket to Ban giám hiệu: one escalation per `factId`. */
  const escalateTo = async (t: Ticket, reason: "first-response" | "resolution" | "teacher" | "reopen", actor: string, factId: string) => {
    const heads = await principals(t.schoolId, await yearOf(t));
    const moved = t.status === "escalated" ? { ok: true as const, ticket: t } : await move(t, "escalate", actor);
    if (!moved.ok) return undefined;
    const fresh = moved.ticket;
    const view = { ...fresh, status: "escalated", escalations: Math.max(1, fresh.escalations) };
    await toIdentities(fresh, `esc-${factId}`, heads, await ticketSays(view, "concern-escalated-to-principal", "principal", { reason }));
    await tellGuardian(fresh, `esc-${factId}`, [say("concern-escalated-guardian", { number: fresh.number, reason })]);
    if (await record(fresh, "escalation", actor, { id: `${fresh._id}-esc-${factId}`, details: { reason, principals: heads.length } }))
      await C.Concern.updateOne({ _id: fresh._id }, { $set: { escalations: await C.ConcernEvent.countDocuments({ concernId: fresh._id, type: "escalation" }) } });
    log({ concernId: fresh._id, reason }, "concern escalated");
    return (await load(fresh._id))!;
  };

  /** Loads a ticket the actor may act on, in a role among `roles`. */
  const forActor = async (actor: ConcernActor, id: string, roles: ConcernViewer[]) => {
    const t = await load(id);
    if (!t) return { t: undefined, viewer: undefined };
    const viewer = viewerOf(actor, t);
    return viewer && roles.includes(viewer) ? { t, viewer } : { t: undefined, viewer: undefined };
  };

  const myQuietHours = async (actor: ConcernActor): Promise<StaffQuietHours | undefined> => {
    const schoolId = actor.roles.staff[0]?.schoolId;
    if (!schoolId) return undefined;
    const own = await C.StaffQuietHours.findById(actor.identityId).lean();
    if (own) return { start: own.start, end: own.end, sundays: own.sundays, custom: true };
    return { ...(await settingsOf(schoolId, await currentYearName(models, schoolId, clock.now()))).calendar.quiet, custom: false };
  };

  const result = async (t: Ticket): Promise<ConcernActionResult> => ({ status: "ok", ticket: await summary(t) });
  const closed = async (t: Ticket): Promise<ConcernActionResult> => ({ status: "closed", ticket: await summary(t) });

  const service = {
    settingsOf,

    async create(actor, input, eventId): Promise<CreateConcernResult> {
      const child = actor.roles.guardianOf.find((g) => g.studentId === input.studentId);
      if (!child) return { status: "forbidden" };
      const existing = (await C.Concern.findOne({ eventId }).lean()) as Ticket | null;
      const now = clock.now();
      const route = routeFor(input.category);
      const yearName = await yearNameOfClass(models, child.classGroupId);
      const s = await settingsOf(child.schoolId, yearName);
      const deliverAt = route.urgent ? now : quietEnds(await handlerQuiet({ ...child, yearName, category: input.category }, s.calendar), now, tz);
      let t = existing;
      for (let attempt = 0; !t && attempt < 20; attempt++) {
        const last = await C.Concern.findOne({ schoolId: child.schoolId }).sort({ seq: -1 }).lean();
        const seq = (last?.seq ?? 0) + 1;
        try {
          const doc = await C.Concern.create({
            _id: newTicketId(), schoolId: child.schoolId, seq, number: ticketNumber(seq), eventId, studentId: child.studentId, classGroupId: child.classGroupId, yearName,
            guardianIdentityId: actor.identityId, category: input.category, urgent: route.urgent, status: "sent", deliverAt, createdAt: now, updatedAt: now,
          });
          t = doc.toObject() as Ticket;
        } catch (err) {
          if (!isDuplicateKey(err)) throw err;
          // Either this very event created it already, or another ticket took the number: retry.
          t = (await C.Concern.findOne({ eventId }).lean()) as Ticket | null;
        }
      }
      if (!t) throw new Error("could not allocate a ticket number");
      await C.ConcernMessage.updateOne({ _id: `${t._id}-m0` },
        { $setOnInsert: { concernId: t._id, from: "guardian", authorIdentityId: actor.identityId, text: input.text, photoRef: input.photoRef ?? "", at: now } }, { upsert: true });
      await record(t, "created", actor.identityId, { id: `${t._id}-created`, details: { category: t.category, urgent: t.urgent } });
      const { firstDue } = await scheduleClocks(t, now, true);
      t = (await load(t._id))!;
      const teachers = route.teacher ? await homeroomTeachers(t.classGroupId) : [];
      const heads = route.principal ? await principals(t.schoolId, yearName) : [];
      const toTeachers = await toIdentities(t, "new-t", teachers, await ticketSays(t, "concern-to-staff", "teacher"), await staffTimes(t, teachers));
      const toHeads = await toIdentities(t, "new-p", heads, await ticketSays(t, "concern-to-staff", "principal"), await staffTimes(t, heads));
      const reached = toTeachers + toHeads;
      // Nobody to receive it on a side: it goes to whoever links first (`runAssign`).
      if ((route.teacher && toTeachers === 0) || (route.principal && toHeads === 0))
        await C.Concern.updateOne({ _id: t._id }, { $set: { awaitsTeacher: route.teacher && toTeachers === 0, awaitsPrincipal: route.principal && toHeads === 0 } });
      log({ concernId: t._id, category: t.category, urgent: t.urgent, recipients: reached }, "concern created");
      return {
        status: "created", ticket: await summary(t), respondBy: firstDue, unassigned: reached === 0,
        ...(deliverAt.getTime() > now.getTime() ? { deliverAt } : {}),
      };
    },

    async listForGuardian(actor) {
      const ts = (await C.Concern.find({ guardianIdentityId: actor.identityId }).sort({ createdAt: -1 }).limit(20).lean()) as Ticket[];
      return Promise.all(ts.map(summary));
    },

    async listForStaff(actor) {
      const classes = actor.roles.staff.filter((s) => s.role === "homeroom-teacher").map((s) => s.classGroupId);
      const schools = actor.roles.staff.filter((s) => s.role === "principal" || s.role === "vice-principal").map((s) => s.schoolId);
      const ts = (await C.Concern.find({ status: { $ne: "resolved" }, $or: [{ classGroupId: { $in: classes } }, { schoolId: { $in: schools } }] })
        .sort({ createdAt: 1 }).lean()) as Ticket[];
      return Promise.all(ts.filter((t) => viewerOf(actor, t) && viewerOf(actor, t) !== "guardian").map(summary));
    },

    async view(actor, id): Promise<ConcernView | undefined> {
      const t = await load(id);
      const viewer = t && viewerOf(actor, t);
      if (!t || !viewer) return undefined;
      const msgs = await C.ConcernMessage.find({ concernId: id }).sort({ at: 1, _id: 1 }).lean();
      return {
        ...(await summary(t)), viewer, rating: t.rating || undefined, confirmed: Boolean(t.confirmedAt),
        messages: msgs.map((m) => ({ from: m.from as "guardian", text: m.text ?? "", at: new Date(m.at), hasPhoto: Boolean(m.photoRef) })),
      };
    },

    async addMessage(actor, id, text, eventId) {
      const { t, viewer } = await forActor(actor, id, ["guardian", "teacher", "principal"]);
      if (!t || !viewer) return { status: "not-found" };
      if (!isOpen(t.status as ConcernStatus)) return closed(t);
      const msgId = `${id}-${safeKey(eventId)}`;
      const r = await C.ConcernMessage.updateOne({ _id: msgId },
        { $setOnInsert: { concernId: id, from: viewer, authorIdentityId: actor.identityId, text, at: clock.now() } }, { upsert: true });
      if (r.upsertedCount === 0) return result(t); // the same event again
      const { studentName, className } = await studentAndClass(t);
      if (viewer === "guardian") {
        const h = await handlers(t);
        const msg = (v: ConcernViewer) => [say("concern-guardian-message-staff", { number: t.number, student: studentName, className, text },
          ticketButtons(id, v, { urgent: t.urgent, status: t.status }))];
        await toIdentities(t, `msg-${safeKey(eventId)}-t`, h.teachers, msg("teacher"), await staffTimes(t, h.teachers));
        await toIdentities(t, `msg-${safeKey(eventId)}-p`, h.heads, msg("principal"), await staffTimes(t, h.heads));
        return result(t);
      }
      const moved = await move(t, "staff-reply", actor.identityId, t.firstResponseAt ? {} : { firstResponseAt: clock.now() });
      if (!moved.ok) return closed(t);
      await tellGuardian(t, `msg-${safeKey(eventId)}`, [say("concern-staff-message-guardian", { number: t.number, student: studentName, from: viewer, text },
        ticketButtons(id, "guardian", { urgent: t.urgent, status: moved.ticket.status }))]);
      return result(moved.ticket);
    },

    async acknowledge(actor, id) {
      const { t, viewer } = await forActor(actor, id, ["teacher", "principal"]);
      if (!t || !viewer) return { status: "not-found" };
      const moved = await move(t, "acknowledge", actor.identityId, t.firstResponseAt ? {} : { firstResponseAt: clock.now() });
      if (!moved.ok) return closed(t);
      if (!t.firstResponseAt) {
        await record(t, "acknowledged", actor.identityId, { id: `${id}-ack-c${t.cycle}` });
        await tellGuardian(t, `ack-c${t.cycle}`, [say("concern-acknowledged-guardian", { number: t.number, who: viewer })]);
      }
      return result(moved.ticket);
    },

    async escalate(actor, id) {
      const { t } = await forActor(actor, id, ["teacher"]);
      if (!t) return { status: "not-found" };
      if (!isOpen(t.status as ConcernStatus)) return closed(t);
      const fresh = await escalateTo(t, "teacher", actor.identityId, `teacher-c${t.cycle}`);
      return fresh ? result(fresh) : closed(t);
    },

    async handBack(actor, id) {
      const { t } = await forActor(actor, id, ["principal"]);
      if (!t) return { status: "not-found" };
      if (!isOpen(t.status as ConcernStatus)) return closed(t);
      if (t.status !== "escalated" || !routeFor(t.category as ConcernCategory).teacher) return { status: "not-allowed" };
      const moved = await move(t, "hand-back", actor.identityId, {}, { cycle: 1 });
      if (!moved.ok) return { status: "not-allowed" };
      const fresh = moved.ticket;
      await scheduleClocks(fresh, clock.now(), false);
      const teachers = await homeroomTeachers(fresh.classGroupId);
      const reachedTeachers = await toIdentities(fresh, `back-c${fresh.cycle}`, teachers, await ticketSays(fresh, "concern-handed-back-teacher", "teacher"), await staffTimes(fresh, teachers));
      await C.Concern.updateOne({ _id: id }, { $set: { awaitsTeacher: reachedTeachers === 0 } });
      await tellGuardian(fresh, `back-c${fresh.cycle}`, [say("concern-handed-back-guardian", { number: fresh.number })]);
      return result(fresh);
    },

    async resolve(actor, id) {
      const { t } = await forActor(actor, id, ["teacher", "principal"]);
      if (!t) return { status: "not-found" };
      const moved = await move(t, "resolve", actor.identityId, { resolvedAt: clock.now(), ...(t.firstResponseAt ? {} : { firstResponseAt: clock.now() }) });
      if (!moved.ok) return closed(t);
      if (moved.changed) await tellGuardian(t, `res-c${t.cycle}`, [say("concern-resolved-guardian", { number: t.number }, ratingButtons(id))]);
      return result(moved.ticket);
    },

    async rate(actor, id, stars) {
      const { t } = await forActor(actor, id, ["guardian"]);
      if (!t) return { status: "not-found" };
      if (t.status !== "resolved" || !Number.isInteger(stars) || stars < 1 || stars > 5) return { status: "not-allowed" };
      await record(t, "rating", actor.identityId, { id: `${id}-rate-c${t.cycle}`, details: { stars } });
      await C.Concern.updateOne({ _id: id }, { $set: { rating: stars, confirmedAt: clock.now(), updatedAt: clock.now() } });
      return result((await load(id))!);
    },

    async reopen(actor, id) {
      const { t } = await forActor(actor, id, ["guardian"]);
      if (!t) return { status: "not-found" };
      if (t.status !== "resolved" || !t.resolvedAt) return { status: "not-resolved" };
      const decision = reopenDecision(new Date(t.resolvedAt), clock.now(), t.reopens);
      if (decision === "too-late") return { status: "too-late" };
      const moved = await move(t, "reopen", actor.identityId, { resolvedAt: null, confirmedAt: null, rating: 0 }, { reopens: 1, cycle: 1 });
      if (!moved.ok) return { status: "not-resolved" };
      let fresh = moved.ticket;
      await record(fresh, "reopen", actor.identityId, { id: `${id}-reopen-${fresh.reopens}`, details: { to: decision } });
      await scheduleClocks(fresh, clock.now(), false);
      if (decision === "to-principal" || !routeFor(fresh.category as ConcernCategory).teacher) {
        fresh = (await escalateTo(fresh, "reopen", actor.identityId, `reopen-${fresh.reopens}`)) ?? fresh;
        return { status: "reopened", to: "principal", ticket: await summary(fresh) };
      }
      const teachers = await homeroomTeachers(fresh.classGroupId);
      const reachedTeachers = await toIdentities(fresh, `reo-${fresh.reopens}`, teachers, await ticketSays(fresh, "concern-reopened-staff", "teacher"), await staffTimes(fresh, teachers));
      await C.Concern.updateOne({ _id: id }, { $set: { awaitsTeacher: reachedTeachers === 0 } });
      return { status: "reopened", to: "teacher", ticket: await summary(fresh) };
    },

    async reportIncident(actor, id, report, eventId) {
      const { t } = await forActor(actor, id, ["principal"]);
      if (!t || !t.urgent) return { status: "not-found" };
      const school = await models.School.findById(t.schoolId).lean();
      const contact = school?.authorityContact ?? "";
      const reportId = `inc-${id}-${safeKey(eventId)}`.slice(0, 80);
      const now = clock.now();
      // No messaging channel exists for the managing authority: the report is recorded as
      // sent to the configured contact, time-stamped, for the school to forward.
      await C.ConcernIncident.updateOne({ _id: reportId }, {
        $setOnInsert: { concernId: id, schoolId: t.schoolId, ...report, createdBy: actor.identityId, createdAt: now,
          sentTo: contact, sentVia: contact ? "recorded" : "", ...(contact ? { sentAt: now } : {}) },
      }, { upsert: true });
      await record(t, "incident-report", actor.identityId, { id: `${reportId}-ev`, details: { reportId, authority: Boolean(contact) } });
      return contact ? { status: "recorded", authorityContact: contact, reportId } : { status: "no-authority", reportId };
    },

    async stats(actor): Promise<ConcernStats | undefined> {
      const schools = [...new Set(actor.roles.staff.filter((s) => s.role === "principal" || s.role === "vice-principal").map((s) => s.schoolId))];
      if (schools.length === 0) return undefined;
      const ts = (await C.Concern.find({ schoolId: { $in: schools } }).lean()) as Ticket[];
      const byCategory: Record<string, number> = {};
      for (const t of ts) byCategory[t.category] = (byCategory[t.category] ?? 0) + 1;
      const firsts = ts.filter((t) => t.firstResponseAt).map((t) => (new Date(t.firstResponseAt!).getTime() - new Date(t.createdAt).getTime()) / 60_000);
      const m = median(firsts);
      return {
        total: ts.length, byCategory, escalations: ts.reduce((n, t) => n + (t.escalations ?? 0), 0),
        open: ts.filter((t) => isOpen(t.status as ConcernStatus)).length,
        ...(m === undefined ? {} : { medianFirstResponseMinutes: Math.round(m) }),
      };
    },

    myQuietHours,

    async setMyQuietHours(actor, change) {
      const current = await myQuietHours(actor);
      if (!current) return undefined;
      if (change === "default") {
        await C.StaffQuietHours.deleteOne({ _id: actor.identityId });
      } else {
        const next = { start: current.start, end: current.end, sundays: current.sundays, ...change };
        if (!isNightWindow(next)) return "invalid";
        await C.StaffQuietHours.updateOne({ _id: actor.identityId }, { $set: { ...next, updatedAt: clock.now() } }, { upsert: true });
      }
      log({ identityId: actor.identityId, change: change === "default" ? "default" : Object.keys(change).join(",") }, "concern quiet hours changed");
      return myQuietHours(actor);
    },

    async runClock(job: ConcernClockJob): Promise<"escalated" | "skipped"> {
      const t = await load(job.concernId);
      if (!t || t.cycle !== job.cycle || !isOpen(t.status as ConcernStatus)) return "skipped";
      if (job.kind === "first-response" && (t.firstResponseAt || t.status === "escalated")) return "skipped";
      const fresh = await escalateTo(t, job.kind, "system", `${job.kind}-c${job.cycle}`);
      return fresh ? "escalated" : "skipped";
    },

    /**
     * Tickets raised while nobody could receive them (no homeroom teacher or Ban giám hiệu
     * linked yet) go to whoever has linked since, with a notice, in their quiet hours like any
     * other; escalated and resolved ones are left alone (Ban giám hiệu has them, or they are
     * closed). Runs every minute (a job scheduler), so a teacher who links receives their
     * class's waiting concerns within a minute. Deterministic outbox keys: running twice sends once.
     */
    async runAssign(): Promise<number> {
      const waiting = (await C.Concern.find({ status: { $in: ["sent", "acknowledged", "in-progress"] }, $or: [{ awaitsTeacher: true }, { awaitsPrincipal: true }] })
        .sort({ createdAt: 1 }).limit(500).lean()) as Ticket[];
      let delivered = 0;
      for (const t of waiting) {
        const sides = [
          { waits: t.awaitsTeacher, field: "awaitsTeacher", tag: "late-t", viewer: "teacher" as const, ids: () => homeroomTeachers(t.classGroupId) },
          { waits: t.awaitsPrincipal, field: "awaitsPrincipal", tag: "late-p", viewer: "principal" as const, ids: async () => principals(t.schoolId, await yearOf(t)) },
        ];
        for (const side of sides) {
          if (!side.waits) continue;
          const ids = await side.ids();
          const messages = [say("concern-assigned-late", { number: t.number, createdAt: dateArg(new Date(t.createdAt)) }), ...(await ticketSays(t, "concern-to-staff", side.viewer))];
          const n = await toIdentities(t, side.tag, ids, messages, await staffTimes(t, ids));
          if (n === 0) continue;
          await C.Concern.updateOne({ _id: t._id }, { $set: { [side.field]: false } });
          await record(t, "assigned", "system", { id: `${t._id}-${side.tag}-c${t.cycle}`, details: { side: side.viewer, recipients: n } });
          log({ concernId: t._id, side: side.viewer, recipients: n }, "concern assigned late");
          delivered += n;
        }
      }
      return delivered;
    },

    /** The 07:00 digest: each teacher's open tickets, those close to escalation first. */
    async runDigest(): Promise<number> {
      const now = clock.now();
      const open = (await C.Concern.find({ status: { $ne: "resolved" } }).sort({ createdAt: 1 }).lean()) as Ticket[];
      const byTeacher = new Map<string, { lines: string[]; soon: number }>();
      const day = isoDate(localParts(now, tz));
      for (const t of open) {
        if (!routeFor(t.category as ConcernCategory).teacher || t.status === "escalated") continue;
        const s = await settingsFor(t);
        if (!isSchoolDay(s.calendar, now)) continue;
        const due = new Date((t.firstResponseAt ? t.resolutionDueAt : t.firstResponseDueAt) ?? now);
        const soon = schoolHoursBetween(s.calendar, now, due) <= 2;
        const { studentName } = await studentAndClass(t);
        for (const teacher of await homeroomTeachers(t.classGroupId)) {
          const entry = byTeacher.get(teacher) ?? { lines: [], soon: 0 };
          entry.lines.push(`${soon ? "⏰ " : "• "}${t.number} — ${studentName}`);
          if (soon) entry.soon++;
          byTeacher.set(teacher, entry);
        }
      }
      let sent = 0;
      for (const p of await addresses([...byTeacher.keys()])) {
        const e = byTeacher.get(p.identityId)!;
        await send(`pa-digest-${day}`, [{ key: `pa-digest-${day}-${p.identityId}`, recipient: p.address,
          messages: [say("concern-digest", { count: e.lines.length, soon: e.soon, list: e.lines.join("\n") })] }]);
        sent++;
      }
      return sent;
    },
  } satisfies ConcernsPort & Record<string, unknown>;
  return service;
}

/** Erases a person's traces in the concern collections (/xoadulieu). */
export function concernEraser(C: ConcernModels) {
  return async ({ identityId }: { identityId?: string }): Promise<Record<string, number>> => {
    if (!identityId) return {};
    const mine = (await C.Concern.find({ guardianIdentityId: identityId }).lean()).map((t) => t._id);
    const messages = await C.ConcernMessage.deleteMany({ concernId: { $in: mine } });
    await C.ConcernEvent.deleteMany({ concernId: { $in: mine } });
    const tickets = await C.Concern.deleteMany({ _id: { $in: mine } });
    // Staff authorship on other families' tickets is kept as "erased".
    await C.ConcernMessage.updateMany({ authorIdentityId: identityId }, { $set: { authorIdentityId: "erased" } });
    await C.ConcernEvent.updateMany({ actor: identityId }, { $set: { actor: "erased" } });
    return { concerns: tickets.deletedCount ?? 0, concernMessages: messages.deletedCount ?? 0 };
  };
}
