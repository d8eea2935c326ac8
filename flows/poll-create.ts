/**
 * Creating a quick poll: scope (when the person organizes more than one), question, options
 * one per line (2–10, no duplicates), single or multiple choice, anonymity, deadline, then a
 * preview to confirm. A question that mentions money gets the Circular 55 Art. 10 reminder.
 */
import { ask, defineFlow, end, go, reprompt } from "./kit.js";
import { dateArg, say, type Say } from "../src/engine/say.js";
import { MAX_OPTION_LENGTH, mentionsMoney, organizerScopes, parsePollOptions, scopeKey } from "../src/domain/poll.js";
import type { PollAnonymity } from "../src/features/polls/port.js";
import { actorOf, readDeadline, scopeChoices, scopeData, scopeFrom } from "./poll-shared.js";

type Data = {
  scope?: { [key: string]: string };
  question?: string;
  options?: string[];
  multiple?: boolean;
  anonymity?: string;
  closesAt?: string;
};

const scopeArgs = (d: Data) => {
  const s = scopeFrom(d as never);
  return { scope: s.kind, scopeName: s.kind === "class" ? s.className : "" };
};

const money = (text: string): Say[] => (mentionsMoney(text) ? [say("poll-money-reminder")] : []);

export const pollCreate = defineFlow<Data, "scope" | "question" | "options" | "mode" | "anonymity" | "deadline" | "confirm">({
  id: "poll-create",
  version: 1,
  start: (_args, ctx) => {
    const scopes = organizerScopes(ctx.person.roles, "poll");
    if (!actorOf(ctx) || scopes.length === 0) return end(say("poll-not-allowed"));
    return scopes.length === 1 ? go("question", { scope: scopeData(scopes[0]!) } as Data) : go("scope", {});
  },
  steps: {
    scope: ask.choice({
      prompt: say("poll-scope-prompt"),
      perRow: 1,
      choices: (ctx) => scopeChoices(organizerScopes(ctx.person.roles, "poll")),
      onAnswer: (id, ctx) => {
        const scope = organizerScopes(ctx.person.roles, "poll").find((s) => scopeKey(s) === id)!;
        return go("question", { scope: scopeData(scope) } as Data);
      },
    }),
    question: ask.text({
      prompt: say("poll-ask-question"),
      maxLength: 300,
      onAnswer: (question, { data }) => go("options", { ...data, question }, ...money(question)),
    }),
    options: ask.text({
      prompt: say("poll-ask-options"),
      maxLength: 1500,
      onAnswer: (text, { data }) => {
        const r = parsePollOptions(text);
        if (r.ok) return go("mode", { ...data, options: r.options });
        if (r.error === "duplicate") return reprompt(say("poll-options-duplicate", { option: r.option }));
        if (r.error === "too-long") return reprompt(say("poll-options-too-long", { option: r.option, max: MAX_OPTION_LENGTH }));
        return reprompt(say(r.error === "too-few" ? "poll-options-too-few" : "poll-options-too-many", { count: r.count }));
      },
    }),
    mode: ask.choice({
      prompt: say("poll-ask-mode"),
      perRow: 1,
      choices: [
        { id: "single", label: { key: "poll-mode-single" }, aliases: ["mot", "1 lua chon", "single"] },
        { id: "multiple", label: { key: "poll-mode-multiple" }, aliases: ["nhieu", "multiple"] },
      ],
      onAnswer: (id, { data }) => go("anonymity", { ...data, multiple: id === "multiple" }),
    }),
    anonymity: ask.choice({
      prompt: say("poll-ask-anonymity"),
      perRow: 1,
      choices: [
        { id: "anonymous", label: { key: "poll-anonymity-anonymous" }, aliases: ["an danh", "anonymous"] },
        { id: "visible", label: { key: "poll-anonymity-visible" }, aliases: ["xem duoc", "visible"] },
      ],
      onAnswer: (id, { data }) => go("deadline", { ...data, anonymity: id }),
    }),
    deadline: ask.text({
      prompt: say("poll-ask-deadline"),
      maxLength: 60,
      onAnswer: (text, { data, now, person }) => readDeadline(text, now, (at) => go("confirm", { ...data, closesAt: at.toISOString() }), person.timeZone),
    }),
    confirm: ask.choice({
      prompt: ({ data }) => say("poll-preview", {
        ...scopeArgs(data), question: data.question!, options: data.options!.map((o, i) => `${i + 1}. ${o}`).join("\n"),
        multiple: data.multiple ? "yes" : "no", anonymity: data.anonymity!, deadline: dateArg(new Date(data.closesAt!)),
        money: mentionsMoney(`${data.question} ${data.options!.join(" ")}`) ? "yes" : "no",
      }),
      choices: [
        { id: "send", label: { key: "poll-confirm-send" }, aliases: ["gui", "send", "dong y", "ok"] },
        { id: "cancel", label: { key: "poll-confirm-cancel" }, aliases: ["huy", "cancel", "khong"] },
      ],
      onAnswer: async (id, ctx) => {
        if (id === "cancel") return end(say("poll-cancelled"));
        const d = ctx.data;
        const r = await ctx.services.polls.createPoll(actorOf(ctx)!, {
          scope: scopeFrom(d as never), question: d.question!, options: d.options!, multiple: d.multiple === true,
          anonymity: d.anonymity as PollAnonymity, closesAt: new Date(d.closesAt!),
        }, ctx.event.id);
        if (r.status === "past") return go("deadline", d, say("poll-deadline-past"));
        if (r.status === "forbidden") return end(say("poll-not-allowed"));
        return end(say("poll-created", { households: r.households, reached: r.reached, deadline: dateArg(r.poll.closesAt) }));
      },
    }),
  },
});
