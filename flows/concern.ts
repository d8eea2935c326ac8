/**
 * `/phananh` (`/concern`): a guardian raises a concern privately (child → category, pressed or typed →
 * text, a photo may be attached → confirm) and follows their tickets; staff list their open
 * tickets oldest first. Buttons under tickets ("pa-<verb>-<id>") act outside any conversation:
 * acknowledge, reply, resolve, escalate, hand back, incident report, rate, reopen.
 */
import { ask, defineFlow, end, go, reprompt, switchTo, type ActionHandler, type Choice, type Flow, type FlowContext } from "./kit.js";
import { dateArg, say, type Say, type SayButton } from "../src/engine/say.js";
import { CONCERN_PREFIX, concernPayload, ticketButtons, type ConcernActor, type ConcernView } from "../src/features/concerns/port.js";
import {
  CONCERN_CATEGORIES, CONCERN_MAX_CHARS, CONCERN_MIN_CHARS, MESSAGE_MAX_CHARS, PHOTO_MAX_BYTES, isConcernCategory, routeFor,
} from "../src/domain/concern.js";
import { isStaff } from "../src/domain/roles.js";
import { QUIET_PRESETS, formatTimeRange, hhmm, parseTimeRange, type TimeRange } from "../src/domain/school-clock.js";
import { foldText } from "../src/domain/text.js";
import type { StaffQuietHours } from "../src/features/concerns/port.js";

type Ctx = Omit<FlowContext, "data">;

const actorOf = (ctx: Ctx): ConcernActor | undefined =>
  ctx.person.identityId ? { identityId: ctx.person.identityId, roles: ctx.person.roles } : undefined;

const isHandler = (ctx: Ctx) => isStaff(ctx.person.roles);
const isPrincipal = (ctx: Ctx) => ctx.person.roles.staff.some((s) => s.role === "principal" || s.role === "vice-principal");

/** A ticket as the reader may see it: header, the last messages, the reader's buttons. */
export function viewSays(v: ConcernView): Say[] {
  const says: Say[] = [say("concern-view", {
    number: v.number, student: v.studentName, className: v.className, category: v.category, status: v.status,
    urgent: v.urgent ? "yes" : "no", createdAt: dateArg(v.createdAt), rating: v.rating ?? 0,
  })];
  for (const m of v.messages.slice(-10))
    says.push(say("concern-view-message", { from: m.from, text: m.text || "—", at: dateArg(m.at), photo: m.hasPhoto ? "yes" : "no" }));
  const buttons = ticketButtons(v.id, v.viewer, { urgent: v.urgent, status: v.status, category: v.category });
  if (buttons.length > 0) says[says.length - 1] = { ...says[says.length - 1]!, buttons };
  return says;
}

async function staffList(ctx: Ctx, actor: ConcernActor) {
  const list = await ctx.services.concerns.listForStaff(actor);
  const rows: SayButton[][] = list.slice(0, 30).map((t) => [{ text: `${t.urgent ? "‼️ " : ""}${t.number} · ${t.studentName} (${t.className})`, payload: concernPayload("v", t.id) }]);
  if (isPrincipal(ctx)) rows.push([{ key: "concern-btn-stats", payload: `${CONCERN_PREFIX}stats` }]);
  rows.push([{ key: "concern-btn-quiet", payload: QUIET_OPEN }]);
  if (ctx.person.roles.guardianOf.length > 0) rows.push([{ key: "concern-btn-new", payload: `${CONCERN_PREFIX}new` }]);
  return end(say(list.length > 0 ? "concern-staff-list" : "concern-staff-none", { count: list.length }, rows.length ? rows : undefined));
}

type RaiseData = { studentId?: string; category?: string; text?: string; photoRef?: string };

const startNew = (ctx: Ctx, data: RaiseData = {}) => {
  const children = ctx.person.roles.guardianOf;
  if (children.length === 1) return go("category", { ...data, studentId: children[0]!.studentId });
  return go("child", data);
};

const concern = defineFlow<RaiseData, "pick" | "child" | "category" | "text" | "confirm">({
  id: "concern",
  version: 1,
  start: async (args, ctx) => {
    const actor = actorOf(ctx);
    if (!actor) return end(say("concern-not-linked"));
    const guardian = ctx.person.roles.guardianOf.length > 0;
    // The school office (văn thư) manages records but reads no concerns (issue 13).
    if (!guardian && !isHandler(ctx) && ctx.person.roles.staff.some((s) => s.role === "admin")) return end(say("concern-admin-refused"));
    if (isHandler(ctx) && !(guardian && args === "new")) return staffList(ctx, actor);
    if (!guardian) return end(say("concern-not-linked"));
    if (args === "new") return startNew(ctx);
    const mine = await ctx.services.concerns.listForGuardian(actor);
    return mine.length > 0 ? go("pick", {}) : startNew(ctx);
  },
  steps: {
    pick: ask.choice({
      prompt: say("concern-guardian-pick"),
      perRow: 1,
      choices: async (ctx): Promise<Choice[]> => [
        { id: "new", label: { key: "concern-new" }, aliases: ["moi", "new", "gui moi"] },
        ...(await ctx.services.concerns.listForGuardian(actorOf(ctx)!)).map((t) => ({
          id: t.id, label: { key: "concern-ticket-label" as const, args: { number: t.number, student: t.studentName, status: t.status } },
        })),
      ],
      onAnswer: async (id, ctx) => {
        if (id === "new") return startNew(ctx);
        const v = await ctx.services.concerns.view(actorOf(ctx)!, id);
        return v ? end(...viewSays(v)) : end(say("concern-not-found"));
      },
    }),
    child: ask.choice({
      prompt: say("concern-ask-child"),
      perRow: 1,
      choices: (ctx) => ctx.person.roles.guardianOf.map((g) => ({ id: g.studentId, label: { text: `${g.studentName} (${g.className})` } })),
      onAnswer: (studentId, ctx) => go("category", { ...ctx.data, studentId }),
    }),
    category: ask.choice({
      prompt: say("concern-ask-category"),
      perRow: 2,
      choices: CONCERN_CATEGORIES.map((c) => ({ id: c, label: { key: "concern-category-choice", args: { category: c } } })),
      // Pressed, or typed as its number or its label's words ("1", "suc khoe", "bạn bè"): the
      // engine matches only a number, a whole label or a run of one label's words, so a concern
      // typed here (longer, or starting with a category's word) is not taken for a category.
      onAnswer: (category, ctx) => {
        return go(ctx.data.text ? "confirm" : "text", { ...ctx.data, category }, ...(routeFor(category as never).urgent ? [say("concern-urgent-note")] : []),
          ...(category === "teacher" ? [say("concern-teacher-note")] : []));
      },
      // The concern itself typed before its category: kept, so the parent need not type it again.
      onOtherText: (text, ctx) => {
        const length = [...text.trim()].length;
        if (length < CONCERN_MIN_CHARS || length > CONCERN_MAX_CHARS) return undefined;
        return go("category", { ...ctx.data, text: text.trim() }, say("concern-text-kept"));
      },
    }),
    text: ask.text({
      prompt: (ctx) => say(ctx.data.photoRef ? "concern-ask-text-after-photo" : "concern-ask-text", { max: CONCERN_MAX_CHARS }),
      maxLength: CONCERN_MAX_CHARS,
      onAttachment: (file, ctx) => {
        if (file.media !== "photo") return reprompt(say("concern-photo-only"));
        if ((file.sizeBytes ?? 0) > PHOTO_MAX_BYTES) return reprompt(say("concern-photo-too-large", { maxMb: PHOTO_MAX_BYTES / 1024 / 1024 }));
        const data = { ...ctx.data, photoRef: file.fileRef };
        const caption = (file.caption ?? "").trim();
        if ([...caption].length >= CONCERN_MIN_CHARS && [...caption].length <= CONCERN_MAX_CHARS) return go("confirm", { ...data, text: caption });
        return go("text", data, say("concern-photo-received"));
      },
      onAnswer: (text, ctx) => {
        if ([...text].length < CONCERN_MIN_CHARS) return reprompt(say("concern-text-too-short", { min: CONCERN_MIN_CHARS }));
        return go("confirm", { ...ctx.data, text });
      },
    }),
    confirm: ask.choice({
      prompt: (ctx) => {
        const child = ctx.person.roles.guardianOf.find((g) => g.studentId === ctx.data.studentId);
        return say("concern-confirm", { student: child?.studentName ?? "", category: ctx.data.category ?? "other", text: ctx.data.text ?? "", photo: ctx.data.photoRef ? "yes" : "no" });
      },
      choices: [
        { id: "send", label: { key: "concern-send" }, aliases: ["gui", "dong y", "ok"] },
        { id: "edit", label: { key: "concern-edit" }, aliases: ["sua"] },
        { id: "cancel", label: { key: "concern-cancel" }, aliases: ["huy"] },
      ],
      onAnswer: async (choice, ctx) => {
        if (choice === "cancel") return end(say("concern-cancelled"));
        if (choice === "edit") return go("text", { studentId: ctx.data.studentId ?? "", category: ctx.data.category ?? "" });
        const { studentId, category, text, photoRef } = ctx.data;
        if (!studentId || !category || !text || !isConcernCategory(category)) return end(say("concern-not-found"));
        const r = await ctx.services.concerns.create(actorOf(ctx)!, { studentId, category, text, ...(photoRef ? { photoRef } : {}) }, ctx.event.id);
        if (r.status === "forbidden") return end(say("concern-not-linked"));
        // A concern about a teacher goes to Ban giám hiệu only: the guardian is told so, never "the teacher".
        const to = category === "teacher" ? "principal" : "teacher";
        const says = [say("concern-created", { number: r.ticket.number, respondBy: dateArg(r.respondBy), urgent: r.ticket.urgent ? "yes" : "no", to },
          ticketButtons(r.ticket.id, "guardian", { urgent: r.ticket.urgent, status: r.ticket.status, category: r.ticket.category }))];
        // A class whose teacher is not on the bot: one message says what happens (not "at 06:30" too).
        if (r.unassigned) says.push(say("concern-created-unassigned", { to }));
        else if (r.deliverAt) says.unshift(say("concern-created-quiet", { deliverAt: dateArg(r.deliverAt), to }));
        return end(...says);
      },
    }),
  },
});

/** Writing one message on a ticket (guardian's addition, or a staff reply). */
const concernWrite = defineFlow<{ id: string; number: string }, "text">({
  id: "concern-write",
  version: 1,
  start: async (id, ctx) => {
    const actor = actorOf(ctx);
    const v = actor && (await ctx.services.concerns.view(actor, id));
    if (!v) return end(say("concern-not-found"));
    if (v.status === "resolved") return end(say("concern-closed", { number: v.number }));
    return go("text", { id, number: v.number });
  },
  steps: {
    text: ask.text({
      prompt: (ctx) => say("concern-write-prompt", { number: ctx.data.number }),
      maxLength: MESSAGE_MAX_CHARS,
      onAnswer: async (text, ctx) => {
        const r = await ctx.services.concerns.addMessage(actorOf(ctx)!, ctx.data.id, text, ctx.event.id);
        if (r.status === "ok") return end(say("concern-message-sent", { number: r.ticket.number }));
        if (r.status === "closed") return end(say("concern-closed", { number: r.ticket.number }));
        return end(say("concern-not-found"));
      },
    }),
  },
});

type IncidentData = { id: string; number: string; whatHappened?: string; when?: string; informed?: string; actions?: string };

/** The principal's incident report from an urgent ticket. */
const concernIncident = defineFlow<IncidentData, "what" | "when" | "informed" | "actions" | "confirm">({
  id: "concern-incident",
  version: 1,
  start: async (id, ctx) => {
    const actor = actorOf(ctx);
    const v = actor && (await ctx.services.concerns.view(actor, id));
    if (!v || v.viewer !== "principal" || !v.urgent) return end(say("concern-not-found"));
    return go("what", { id, number: v.number });
  },
  steps: {
    what: ask.text({ prompt: say("concern-incident-what"), maxLength: 2000, onAnswer: (t, ctx) => go("when", { ...ctx.data, whatHappened: t }) }),
    when: ask.text({ prompt: say("concern-incident-when"), maxLength: 200, onAnswer: (t, ctx) => go("informed", { ...ctx.data, when: t }) }),
    informed: ask.text({ prompt: say("concern-incident-informed"), maxLength: 1000, onAnswer: (t, ctx) => go("actions", { ...ctx.data, informed: t }) }),
    actions: ask.text({ prompt: say("concern-incident-actions"), maxLength: 2000, onAnswer: (t, ctx) => go("confirm", { ...ctx.data, actions: t }) }),
    confirm: ask.choice({
      prompt: (ctx) => say("concern-incident-review", {
        number: ctx.data.number, what: ctx.data.whatHappened ?? "", when: ctx.data.when ?? "", informed: ctx.data.informed ?? "", actions: ctx.data.actions ?? "",
      }),
      choices: [{ id: "send", label: { key: "concern-send" }, aliases: ["gui"] }, { id: "cancel", label: { key: "concern-cancel" }, aliases: ["huy"] }],
      onAnswer: async (choice, ctx) => {
        if (choice === "cancel") return end(say("concern-cancelled"));
        const d = ctx.data;
        const r = await ctx.services.concerns.reportIncident(actorOf(ctx)!, d.id,
          { whatHappened: d.whatHappened ?? "", when: d.when ?? "", informed: d.informed ?? "", actions: d.actions ?? "" }, ctx.event.id);
        if (r.status === "not-found") return end(say("concern-not-found"));
        if (r.status === "no-authority") return end(say("concern-incident-no-authority", { number: d.number }));
        return end(say("concern-incident-recorded", { number: d.number, contact: r.authorityContact }));
      },
    }),
  },
});

// ---- "Giờ yên tĩnh của tôi": a staff member's own quiet hours ---------------------------
const QUIET_OPEN = `${CONCERN_PREFIX}quiet`;
/** "pa-qr-2130-0600": a preset window; "pa-qsun-1"/"pa-qsun-0": Sundays quiet or not; "pa-qdef": the school's default. */
const QUIET_RANGE = /^pa-qr-(\d{4})-(\d{4})$/;
const compact = (m: number) => hhmm(m).replace(":", "");
const rangePayload = (r: TimeRange) => `${CONCERN_PREFIX}qr-${compact(r.start)}-${compact(r.end)}`;

/** The current quiet hours with the buttons that change them (they work with or without a conversation). */
function quietSay(q: StaffQuietHours, key: "concern-quiet-current" | "concern-quiet-saved" = "concern-quiet-current"): Say {
  const presets: SayButton[] = QUIET_PRESETS.filter((p) => p.start !== q.start || p.end !== q.end)
    .map((p) => ({ text: formatTimeRange(p).replace("-", "–"), payload: rangePayload(p) }));
  const rows: SayButton[][] = [presets.slice(0, 2), presets.slice(2)].filter((r) => r.length > 0);
  rows.push([{ key: "concern-quiet-btn-sundays", args: { sundays: q.sundays ? "yes" : "no" }, payload: `${CONCERN_PREFIX}qsun-${q.sundays ? 0 : 1}` }]);
  if (q.custom) rows.push([{ key: "concern-quiet-btn-default", payload: `${CONCERN_PREFIX}qdef` }]);
  return say(key, { start: hhmm(q.start), end: hhmm(q.end), sundays: q.sundays ? "yes" : "no", custom: q.custom ? "yes" : "no" }, rows);
}

/** Typing a window ("21:30-06:00") is a step; presets, Sundays and the default are buttons (`quietButtons`). */
const concernQuiet = defineFlow<Record<string, never>, "range">({
  id: "concern-quiet",
  version: 1,
  start: async (args, ctx) => {
    const actor = actorOf(ctx);
    const q = actor && isHandler(ctx) ? await ctx.services.concerns.myQuietHours(actor) : undefined;
    if (!q) return end(say("concern-quiet-staff-only"));
    // After a button changed them: show the result and close, so a later text is not taken as a window.
    if (args === "saved") return end(quietSay(q, "concern-quiet-saved"));
    return go("range", {}, quietSay(q));
  },
  steps: {
    range: ask.text({
      prompt: say("concern-quiet-ask"),
      maxLength: 40,
      onAnswer: async (text, ctx) => {
        const folded = foldText(text);
        const change = ["mac dinh", "default"].includes(folded) ? ("default" as const) : parseTimeRange(text);
        if (!change) return reprompt(say("concern-quiet-bad"));
        const r = await ctx.services.concerns.setMyQuietHours(actorOf(ctx)!, change);
        if (r === "invalid") return reprompt(say("concern-quiet-bad"));
        if (!r) return end(say("concern-quiet-staff-only"));
        return end(quietSay(r, "concern-quiet-saved"));
      },
    }),
  },
});

/** The quiet-hours buttons; undefined when `payload` is not one of them. */
async function quietButtons(payload: string, ctx: Ctx, actor: ConcernActor) {
  if (payload === QUIET_OPEN) return switchTo("concern-quiet");
  const range = QUIET_RANGE.exec(payload);
  const toMinutes = (s: string) => Number(s.slice(0, 2)) * 60 + Number(s.slice(2));
  const change = range ? { start: toMinutes(range[1]!), end: toMinutes(range[2]!) }
    : payload === `${CONCERN_PREFIX}qsun-1` ? { sundays: true }
    : payload === `${CONCERN_PREFIX}qsun-0` ? { sundays: false }
    : payload === `${CONCERN_PREFIX}qdef` ? ("default" as const) : undefined;
  if (!change) return undefined;
  const r = await ctx.services.concerns.setMyQuietHours(actor, change);
  if (r === "invalid") return end(say("common-stale-button"));
  if (!r) return end(say("concern-quiet-staff-only"));
  return switchTo("concern-quiet", "saved");
}

const PAYLOAD = /^pa-([a-z0-9]+)-([a-z0-9]{4,16})$/;

const concernButtons: ActionHandler = {
  prefix: CONCERN_PREFIX,
  handle: async (payload, ctx) => {
    const actor = actorOf(ctx);
    if (!actor) return end(say("concern-not-linked"));
    const C = ctx.services.concerns;
    if (payload === `${CONCERN_PREFIX}new`) return switchTo("concern", "new");
    const quiet = await quietButtons(payload, ctx, actor);
    if (quiet) return quiet;
    if (payload === `${CONCERN_PREFIX}stats`) {
      const s = await C.stats(actor);
      if (!s) return end(say("concern-not-found"));
      const byCategory = Object.fromEntries(CONCERN_CATEGORIES.map((c) => [c, s.byCategory[c] ?? 0]));
      return end(say("concern-stats", { total: s.total, open: s.open, escalations: s.escalations, median: s.medianFirstResponseMinutes ?? 0, hasMedian: s.medianFirstResponseMinutes === undefined ? "no" : "yes", ...byCategory }));
    }
    const m = PAYLOAD.exec(payload);
    if (!m) return end(say("common-stale-button"));
    const [, verb, id] = m as unknown as [string, string, string];
    const outcome = (r: Awaited<ReturnType<typeof C.acknowledge>>, done: "concern-ack-done" | "concern-resolve-done" | "concern-escalate-done" | "concern-handback-done") => {
      if (r.status === "ok") return end(say(done, { number: r.ticket.number }));
      if (r.status === "closed") return end(say("concern-closed", { number: r.ticket.number }));
      if (r.status === "not-allowed") return end(say("concern-not-allowed"));
      return end(say("concern-not-found"));
    };
    switch (verb) {
      case "v": {
        const v = await C.view(actor, id);
        return v ? end(...viewSays(v)) : end(say("concern-not-found"));
      }
      case "ack": return outcome(await C.acknowledge(actor, id), "concern-ack-done");
      case "res": return outcome(await C.resolve(actor, id), "concern-resolve-done");
      case "esc": return outcome(await C.escalate(actor, id), "concern-escalate-done");
      case "back": return outcome(await C.handBack(actor, id), "concern-handback-done");
      case "rep":
      case "add": return switchTo("concern-write", id);
      case "inc": return switchTo("concern-incident", id);
      case "reo": {
        const r = await C.reopen(actor, id);
        if (r.status === "reopened") return end(say("concern-reopened", { number: r.ticket.number, to: r.to }));
        if (r.status === "too-late") return end(say("concern-reopen-too-late"));
        if (r.status === "not-resolved") return end(say("concern-reopen-not-resolved"));
        return end(say("concern-not-found"));
      }
      default: {
        const star = /^s([1-5])$/.exec(verb);
        if (!star) return end(say("common-stale-button"));
        const r = await C.rate(actor, id, Number(star[1]));
        if (r.status === "ok") return end(say("concern-rated", { number: r.ticket.number, stars: Number(star[1]) }));
        if (r.status === "not-allowed") return end(say("concern-rate-not-resolved"));
        return end(say("concern-not-found"));
      }
    }
  },
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- flows differ in data and step types
export const concernFlows: Flow<any, any>[] = [concern, concernWrite, concernIncident, concernQuiet];
export const concernActions: ActionHandler[] = [concernButtons];
