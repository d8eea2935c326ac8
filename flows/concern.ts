/**
 * `/phananh` (`/concern`): a guardian raises a concern privately (child → category by button →
 * text, a photo may be attached → confirm) and follows their tickets; staff list their open
 * tickets oldest first. Buttons under tickets ("pa-<verb>-<id>") act outside any conversation:
 * acknowledge, reply, resolve, escalate, hand back, incident report, rate, reopen.
 */
import { ask, defineFlow, end, go, reprompt, switchTo, type ActionHandler, type Choice, type Flow, type FlowContext } from "../src/engine/define-flow.js";
import { dateArg, say, type Say, type SayButton } from "../src/engine/say.js";
import { CONCERN_PREFIX, concernPayload, ticketButtons, type ConcernActor, type ConcernView } from "../src/engine/ports-concerns.js";
import {
  CONCERN_CATEGORIES, CONCERN_MAX_CHARS, CONCERN_MIN_CHARS, MESSAGE_MAX_CHARS, PHOTO_MAX_BYTES, isConcernCategory, routeFor,
} from "../src/domain/concern.js";
import { isStaff } from "../src/domain/roles.js";

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
  const buttons = ticketButtons(v.id, v.viewer, { urgent: v.urgent, status: v.status });
  if (buttons.length > 0) says[says.length - 1] = { ...says[says.length - 1]!, buttons };
  return says;
}

async function staffList(ctx: Ctx, actor: ConcernActor) {
  const list = await ctx.services.concerns.listForStaff(actor);
  const rows: SayButton[][] = list.slice(0, 30).map((t) => [{ text: `${t.urgent ? "‼️ " : ""}${t.number} · ${t.studentName} (${t.className})`, payload: concernPayload("v", t.id) }]);
  if (isPrincipal(ctx)) rows.push([{ key: "concern-btn-stats", payload: `${CONCERN_PREFIX}stats` }]);
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
      onAnswer: (category, ctx) => {
        // A category is chosen with its button: typed text could be the concern itself.
        if (ctx.event.kind !== "button") return reprompt(say("concern-category-use-buttons"));
        return go("text", { ...ctx.data, category }, ...(routeFor(category as never).urgent ? [say("concern-urgent-note")] : []),
          ...(category === "teacher" ? [say("concern-teacher-note")] : []));
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
        const says = [say("concern-created", { number: r.ticket.number, respondBy: dateArg(r.respondBy), urgent: r.ticket.urgent ? "yes" : "no" },
          ticketButtons(r.ticket.id, "guardian", { urgent: r.ticket.urgent, status: r.ticket.status }))];
        if (r.deliverAt) says.unshift(say("concern-created-quiet", { deliverAt: dateArg(r.deliverAt) }));
        if (r.unassigned) says.push(say("concern-created-unassigned"));
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

const PAYLOAD = /^pa-([a-z0-9]+)-([a-z0-9]{4,16})$/;

const concernButtons: ActionHandler = {
  prefix: CONCERN_PREFIX,
  handle: async (payload, ctx) => {
    const actor = actorOf(ctx);
    if (!actor) return end(say("concern-not-linked"));
    const C = ctx.services.concerns;
    if (payload === `${CONCERN_PREFIX}new`) return switchTo("concern", "new");
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
export const concernFlows: Flow<any, any>[] = [concern, concernWrite, concernIncident];
export const concernActions: ActionHandler[] = [concernButtons];
