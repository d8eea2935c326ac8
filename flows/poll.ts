/**
 * `/bieuquyet` (`/poll`): organizers (class/school board, principal, homeroom teacher) create
 * a poll or follow theirs; guardians get the open polls of their children with vote buttons.
 * Vote buttons ("pv-…", "pu-…") work outside any conversation, under the ballot the outbox
 * delivered; each press records one household's choice (one vote per student).
 */
import { ask, defineFlow, end, go, switchTo, type ActionHandler, type Flow, type FlowContext, type Transition } from "./kit.js";
import { dateArg, say, type Say } from "../src/engine/say.js";
import { ballotSay, parseVotePayload } from "../src/features/polls/messages.js";
import { organizerScopes } from "../src/domain/poll.js";
import { actorOf } from "./poll-shared.js";
import { pollCreate } from "./poll-create.js";
import { pollManage } from "./poll-manage.js";

/** The open polls of the person's children, one ballot per child. */
async function ballots(ctx: Omit<FlowContext, "data">): Promise<Say[]> {
  const list = await ctx.services.polls.ballots(actorOf(ctx)!);
  if (list.length === 0) return [say("poll-no-open")];
  return list.flatMap((b) => b.students.map((s) => ballotSay(b.poll, s)));
}

const poll = defineFlow<Record<string, never>, "menu">({
  id: "poll",
  version: 1,
  start: async (_args, ctx) => {
    if (!actorOf(ctx)) return end(say("poll-not-linked"));
    const organizer = organizerScopes(ctx.person.roles, "poll").length > 0;
    const guardian = ctx.person.roles.guardianOf.length > 0;
    if (!organizer && !guardian) return end(say("poll-not-allowed"));
    if (!organizer) return end(...(await ballots(ctx)));
    return go("menu", {});
  },
  steps: {
    menu: ask.choice({
      prompt: say("poll-menu-prompt"),
      perRow: 1,
      choices: (ctx) => [
        { id: "new", label: { key: "poll-menu-new" }, aliases: ["tao", "moi", "new"] },
        { id: "mine", label: { key: "poll-menu-mine" }, aliases: ["ket qua", "mine"] },
        ...(ctx.person.roles.guardianOf.length > 0 ? [{ id: "vote", label: { key: "poll-menu-vote" as const }, aliases: ["bieu quyet", "vote"] }] : []),
      ],
      onAnswer: async (id, ctx) => {
        if (id === "new") return switchTo("poll-create");
        if (id === "mine") return switchTo("poll-manage");
        return end(...(await ballots(ctx)));
      },
    }),
  },
});

/** A press on a vote button: records the household's choice, or says why it cannot. */
async function onVote(payload: string, ctx: Omit<FlowContext, "data">): Promise<Transition> {
  const p = parseVotePayload(payload);
  const actor = actorOf(ctx);
  if (!p || !actor) return end(say("poll-vote-not-found"));
  const r = await ctx.services.polls.vote(actor, p.pollId, p.studentIdx, p.option, p.remove);
  if (r.status === "not-found") return end(say("poll-vote-not-found"));
  if (r.status === "closed") return end(say("poll-vote-closed", { question: r.poll.question, deadline: dateArg(r.poll.closesAt) }));
  const chosen = r.student.chosen.map((i) => r.poll.options[i] ?? "").join(", ");
  const recorded = say(chosen ? "poll-vote-recorded" : "poll-vote-cleared", { studentName: r.student.studentName, chosen, deadline: dateArg(r.poll.closesAt) });
  // In a multiple-choice poll the fresh ballot shows what is chosen and lets the household go on.
  return r.poll.multiple ? end(recorded, ballotSay(r.poll, r.student)) : end(recorded);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- flows differ in data and step types
export const pollFlows: Flow<any, any>[] = [poll, pollCreate, pollManage];
export const pollActions: ActionHandler[] = [
  { prefix: "pv-", handle: onVote },
  { prefix: "pu-", handle: onVote },
];
