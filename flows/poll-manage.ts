/**
 * The organizer's side of a poll: pick one of their polls, see the live tally and turnout
 * (refreshed on demand), close it early.
 */
import { ask, choiceAction, defineFlow, end, go, scopedChoice, type Choice } from "./kit.js";
import { say } from "../src/engine/say.js";
import { tallySays } from "../src/features/polls/messages.js";
import { actorOf, shortLabel } from "./poll-shared.js";

type Data = { pollId?: string; open?: boolean };

export const pollManage = defineFlow<Data, "pick" | "manage">({
  id: "poll-manage",
  version: 1,
  start: async (args, ctx) => {
    const actor = actorOf(ctx);
    if (!actor) return end(say("poll-not-linked"));
    const mine = await ctx.services.polls.listOrganizedPolls(actor);
    if (mine.length === 0) return end(say("poll-none-organized"));
    const chosen = mine.find((p) => p.id === args);
    if (chosen) {
      const t = (await ctx.services.polls.tally(actor, chosen.id))!;
      return go("manage", { pollId: chosen.id, open: t.poll.status === "open" }, ...tallySays(t));
    }
    return go("pick", {});
  },
  steps: {
    pick: ask.choice({
      prompt: say("poll-pick-prompt"),
      perRow: 1,
      choices: async (ctx): Promise<Choice[]> =>
        (await ctx.services.polls.listOrganizedPolls(actorOf(ctx)!)).map((p) => ({
          id: p.id, label: { text: `${p.status === "open" ? "🟢" : "⚪"} ${shortLabel(p.question)}` },
        })),
      onAnswer: async (id, ctx) => {
        const t = await ctx.services.polls.tally(actorOf(ctx)!, id);
        if (!t) return end(say("poll-vote-not-found"));
        return go("manage", { pollId: id, open: t.poll.status === "open" }, ...tallySays(t));
      },
    }),
    manage: ask.choice({
      prompt: say("poll-manage-prompt"),
      cancel: false, // *Xong* leaves
      choices: ({ data }): Choice[] => [
        { id: "refresh", label: { key: "poll-manage-refresh" as const }, aliases: ["lam moi", "xem lai", "refresh"] },
        ...(data.open ? [{ id: "close", label: { key: "poll-manage-close" as const }, aliases: ["dong", "ket thuc", "close"] }] : []),
        { id: "done", label: { key: "poll-manage-done" as const }, aliases: ["xong", "done"] },
      ].map((c) => ({ ...c, id: scopedChoice(c.id, data.pollId!) })),
      onAnswer: async (choice, ctx) => {
        const id = choiceAction(choice);
        const actor = actorOf(ctx)!;
        const pollId = ctx.data.pollId!;
        if (id === "done") return end(say("poll-done"));
        if (id === "close") {
          const r = await ctx.services.polls.closePoll(actor, pollId);
          if (r.status === "not-found") return end(say("poll-vote-not-found"));
          return end(say(r.status === "closed" ? "poll-closed-early" : "poll-already-closed"), ...tallySays(r.tally));
        }
        const t = await ctx.services.polls.tally(actor, pollId);
        if (!t) return end(say("poll-vote-not-found"));
        return go("manage", { pollId, open: t.poll.status === "open" }, ...tallySays(t));
      },
    }),
  },
});
