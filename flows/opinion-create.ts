/** Opening an opinion round: scope (when more than one), topic, deadline, preview and confirm. */
import { ask, defineFlow, end, go } from "./kit.js";
import { dateArg, say } from "../src/engine/say.js";
import { mentionsMoney, organizerScopes, scopeKey } from "../src/domain/poll.js";
import { actorOf, readDeadline, scopeChoices, scopeData, scopeFrom } from "./poll-shared.js";

type Data = { scope?: { [key: string]: string }; topic?: string; closesAt?: string };

export const opinionCreate = defineFlow<Data, "scope" | "topic" | "deadline" | "confirm">({
  id: "opinion-create",
  version: 1,
  start: (_args, ctx) => {
    const scopes = organizerScopes(ctx.person.roles, "opinion");
    if (!actorOf(ctx) || scopes.length === 0) return end(say("opinion-not-allowed"));
    return scopes.length === 1 ? go("topic", { scope: scopeData(scopes[0]!) } as Data) : go("scope", {});
  },
  steps: {
    scope: ask.choice({
      prompt: say("poll-scope-prompt"),
      perRow: 1,
      choices: (ctx) => scopeChoices(organizerScopes(ctx.person.roles, "opinion")),
      onAnswer: (id, ctx) => go("topic", { scope: scopeData(organizerScopes(ctx.person.roles, "opinion").find((s) => scopeKey(s) === id)!) } as Data),
    }),
    topic: ask.text({
      prompt: say("opinion-ask-topic"),
      maxLength: 300,
      onAnswer: (topic, { data }) => go("deadline", { ...data, topic }, ...(mentionsMoney(topic) ? [say("poll-money-reminder")] : [])),
    }),
    deadline: ask.text({
      prompt: say("opinion-ask-deadline"),
      maxLength: 60,
      onAnswer: (text, { data, now, person }) => readDeadline(text, now, (at) => go("confirm", { ...data, closesAt: at.toISOString() }), person.timeZone),
    }),
    confirm: ask.choice({
      prompt: ({ data }) => {
        const s = scopeFrom(data as never);
        return say("opinion-preview", { topic: data.topic!, scope: s.kind, scopeName: s.kind === "class" ? s.className : "", deadline: dateArg(new Date(data.closesAt!)) });
      },
      choices: [
        { id: "send", label: { key: "poll-confirm-send" }, aliases: ["gui", "send", "dong y", "ok"] },
        { id: "cancel", label: { key: "poll-confirm-cancel" }, aliases: ["huy", "cancel", "khong"] },
      ],
      onAnswer: async (id, ctx) => {
        if (id === "cancel") return end(say("poll-cancelled"));
        const d = ctx.data;
        const r = await ctx.services.polls.openRound(actorOf(ctx)!, { scope: scopeFrom(d as never), topic: d.topic!, closesAt: new Date(d.closesAt!) }, ctx.event.id);
        if (r.status === "past") return go("deadline", d, say("poll-deadline-past"));
        if (r.status === "forbidden") return end(say("opinion-not-allowed"));
        return end(say("opinion-opened", { households: r.households, reached: r.reached, deadline: dateArg(r.round.closesAt) }));
      },
    }),
  },
});
