/**
 * Buttons under meeting messages, and the short flows they open: RSVP (+ reason when not
 * attending), the board head's agreement (+ comment when asking for changes), a question
 * for the meeting and an opinion after it (both optionally anonymous).
 */
import { ask, defineFlow, end, go, switchTo, type ActionHandler, type Transition } from "./kit.js";
import { say } from "../src/engine/say.js";
import { foldText } from "../src/domain/text.js";
import { meetingArgs, type RsvpAllResult, type RsvpAnswer, type RsvpResult } from "../src/features/meetings/port.js";
import { actorOf, yesNo } from "./meeting-shared.js";

const ANSWERS: Record<string, RsvpAnswer> = { y: "yes", n: "no", o: "other" };
const SKIP = new Set(["bo qua", "khong", "ko", "skip", "-"]);

function rsvpReply(r: RsvpResult | Exclude<RsvpAllResult, { status: "recorded" | "stale" }>): Transition<never> {
  if (r.status === "not-found") return end(say("meeting-not-found"));
  if (r.status === "closed") return end(r.meeting.status === "cancelled" ? say("meeting-rsvp-cancelled", meetingArgs(r.meeting)) : r.meeting.status === "held" ? say("meeting-rsvp-held", meetingArgs(r.meeting)) : say("meeting-closed"));
  return end(say("meeting-rsvp-recorded", { ...meetingArgs(r.meeting), student: r.studentName, answer: r.answer }));
}

/** "mr-<meeting>-<student uuid>-<y|n|o>". */
const rsvpAction: ActionHandler = {
  prefix: "mr-",
  handle: async (payload, ctx) => {
    const m = /^mr-([a-z0-9]+)-(.+)-([yno])$/.exec(payload);
    const actor = actorOf(ctx);
    if (!m || !actor) return end(say("meeting-not-found"));
    const [, meetingId, studentId, a] = m;
    const r = await ctx.services.meetings.rsvp(actor, meetingId!, studentId!, ANSWERS[a!]!, "", ctx.event.id);
    // The reason typed next belongs to this answer (seq), whatever the other guardian answers meanwhile.
    if (r.status === "recorded" && r.answer === "no") return switchTo("meeting-rsvp-reason", `${meetingId} ${studentId} ${r.seq}`, say("meeting-rsvp-recorded", { ...meetingArgs(r.meeting), student: r.studentName, answer: r.answer }));
    return rsvpReply(r);
  },
};

/** "mrall-<meeting>-<children digest>-y": attending, for every child the message named (each recorded per pupil). */
const rsvpAllAction: ActionHandler = {
  prefix: "mrall-",
  handle: async (payload, ctx) => {
    const m = /^mrall-([a-z0-9]+)-([0-9a-f]+)-y$/.exec(payload);
    const actor = actorOf(ctx);
    if (!m || !actor) return end(say("meeting-not-found"));
    const r = await ctx.services.meetings.rsvpAll(actor, m[1]!, m[2]!, "yes", ctx.event.id);
    if (r.status === "recorded") return end(say("meeting-rsvp-recorded-all", { ...meetingArgs(r.meeting), students: r.studentNames.join(", "), answer: r.answer }));
    if (r.status === "stale") return end(say("meeting-rsvp-all-stale"));
    return rsvpReply(r);
  },
};

/** "mb-<meeting>-<round>-<a|r>". */
const boardAction: ActionHandler = {
  prefix: "mb-",
  handle: async (payload, ctx) => {
    const m = /^mb-([a-z0-9]+)-(\d+)-([ar])$/.exec(payload);
    const actor = actorOf(ctx);
    if (!m || !actor) return end(say("meeting-not-found"));
    if (m[3] === "r") return switchTo("meeting-board-comment", `${m[1]} ${m[2]}`);
    const r = await ctx.services.meetings.boardDecision(actor, m[1]!, Number(m[2]), "agree", "");
    if (r.status === "published") return end(say("meeting-board-agreed", { ...meetingArgs(r.meeting), households: r.households }));
    return end(say(r.status === "stale" ? "meeting-board-stale" : "meeting-not-found"));
  },
};

/** "mq-<meeting>-<student uuid>": ask a question for the meeting. */
const questionAction: ActionHandler = {
  prefix: "mq-",
  handle: (payload, ctx) => {
    const m = /^mq-([a-z0-9]+)-(.+)$/.exec(payload);
    // An unlinked person (never linked, or erased) has no children to speak for.
    return m && actorOf(ctx) ? switchTo("meeting-ask", `${m[1]} ${m[2]}`) : end(say("meeting-not-found"));
  },
};

type Pair = { a?: string; b?: string; c?: string; text?: string };
const split = (args: string): Pair => {
  const [a, b, c] = args.split(" ");
  return { a, b, ...(c ? { c } : {}) };
};

export const meetingRsvpReason = defineFlow<Pair, "askReason">({
  id: "meeting-rsvp-reason",
  version: 1,
  start: (args) => go("askReason", split(args)),
  steps: {
    askReason: ask.text({
      prompt: say("meeting-ask-absence-reason"),
      maxLength: 200,
      skip: () => end(say("meeting-reason-skipped")),
      onAnswer: async (text, ctx) => {
        if (SKIP.has(foldText(text))) return end(say("meeting-reason-skipped"));
        const actor = actorOf(ctx);
        if (!actor) return end(say("meeting-not-found"));
        // Conversations started before answers had a seq carry none: the reason goes to one's latest answer.
        const r = await ctx.services.meetings.rsvpReason(actor, ctx.data.a!, ctx.data.b!, ctx.data.c ? Number(ctx.data.c) : NaN, text);
        return end(say(r.status === "ok" ? "meeting-reason-recorded" : "meeting-not-found"));
      },
    }),
  },
});

export const meetingBoardComment = defineFlow<Pair, "askComment">({
  id: "meeting-board-comment",
  version: 1,
  start: (args) => go("askComment", split(args)),
  steps: {
    askComment: ask.text({
      prompt: say("meeting-board-ask-comment"),
      maxLength: 1000,
      onAnswer: async (comment, ctx) => {
        const actor = actorOf(ctx);
        if (!actor) return end(say("meeting-not-found"));
        const r = await ctx.services.meetings.boardDecision(actor, ctx.data.a!, Number(ctx.data.b), "revise", comment);
        if (r.status === "revision-requested") return end(say("meeting-board-revision-sent"));
        return end(say(r.status === "stale" || r.status === "published" ? "meeting-board-stale" : "meeting-not-found"));
      },
    }),
  },
});

export const meetingAsk = defineFlow<Pair, "askText" | "askAnonymous">({
  id: "meeting-ask",
  version: 1,
  start: (args) => go("askText", split(args)),
  steps: {
    askText: ask.text({ prompt: say("meeting-ask-question"), maxLength: 1000, onAnswer: (text, { data }) => go("askAnonymous", { ...data, text }) }),
    askAnonymous: ask.choice({
      prompt: say("meeting-ask-anonymous"),
      choices: yesNo("meeting-question-anonymous", "meeting-question-named"),
      onAnswer: async (c, ctx) => {
        const actor = actorOf(ctx);
        if (!actor) return end(say("meeting-not-found"));
        const r = await ctx.services.meetings.ask(actor, ctx.data.a!, ctx.data.b!, ctx.data.text!, c === "yes", ctx.event.id);
        return end(say(r.status === "ok" ? "meeting-question-sent" : r.status === "closed" ? "meeting-closed" : "meeting-not-found"));
      },
    }),
  },
});

/** "mo-<meeting>-<student uuid>": give an opinion on a held meeting (under the minutes). */
const opinionAction: ActionHandler = {
  prefix: "mo-",
  handle: (payload, ctx) => {
    const m = /^mo-([a-z0-9]+)-(.+)$/.exec(payload);
    // An unlinked person (never linked, or erased) has no children to speak for.
    return m && actorOf(ctx) ? switchTo("meeting-opinion", `${m[1]} ${m[2]}`) : end(say("meeting-not-found"));
  },
};

/** One opinion per message: the text, then whether to hide the pupil's name from the teacher. */
export const meetingOpinion = defineFlow<Pair & { ev?: string }, "askText" | "askAnonymous">({
  id: "meeting-opinion",
  version: 1,
  start: (args) => go("askText", split(args)),
  steps: {
    askText: ask.text({ prompt: say("meeting-ask-opinion"), maxLength: 2000, onAnswer: (text, { data, event }) => go("askAnonymous", { ...data, text, ev: event.id }) }),
    askAnonymous: ask.choice({
      prompt: say("meeting-ask-anonymous"),
      choices: yesNo("meeting-question-anonymous", "meeting-question-named"),
      onAnswer: async (c, ctx) => {
        const actor = actorOf(ctx);
        if (!actor) return end(say("meeting-not-found"));
        const r = await ctx.services.meetings.giveOpinion(actor, ctx.data.a!, ctx.data.b!, ctx.data.text!, c === "yes", ctx.data.ev ?? ctx.event.id);
        return end(say(r.status === "ok" ? "meeting-opinion-sent" : r.status === "closed" ? "meeting-closed" : "meeting-not-found"));
      },
    }),
  },
});

export const meetingAnswerActions: ActionHandler[] = [rsvpAction, rsvpAllAction, boardAction, questionAction, opinionAction];
