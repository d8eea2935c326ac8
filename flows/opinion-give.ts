/**
 * A guardian gives an opinion in an open round: pick the round (and the child, when more
 * than one of theirs is in it), write, choose to sign with the child's name or stay
 * anonymous. Started by `/gopy` or by the "Gửi góp ý" button under the invitation.
 */
import { ask, defineFlow, end, go, reprompt, type FlowContext, type Transition } from "./kit.js";
import { dateArg, say } from "../src/engine/say.js";
import { newSubmissionToken, roundArgs, type GuardianRound } from "../src/features/opinions/index.js";
import { actorOf, shortLabel } from "./poll-shared.js";

/** The fewest characters an opinion may have ("Tốt", "Ổn ạ" pass; "1" or "ok" is asked again). */
const OPINION_MIN_CHARS = 3;

/** `submission`: a random token drawn with the text, so a replayed last turn stores the opinion once (never derived from the event). */
type Data = { roundId?: string; topic?: string; studentId?: string; studentName?: string; text?: string; submission?: string };
type Step = "round" | "student" | "write" | "anonymity";

function chooseStudent(r: GuardianRound): Transition<Step> {
  const base = { roundId: r.round.id, topic: r.round.topic };
  if (r.students.length > 1) return go("student", base);
  const s = r.students[0]!;
  return go("write", { ...base, studentId: s.studentId, studentName: s.studentName });
}

const roundsOf = (ctx: Omit<FlowContext, "data">) => ctx.services.polls.roundsForGuardian(actorOf(ctx)!);

export const opinionGive = defineFlow<Data, Step>({
  id: "opinion-give",
  version: 1,
  start: async (args, ctx) => {
    if (!actorOf(ctx)) return end(say("poll-not-linked"));
    const rounds = await roundsOf(ctx);
    const named = rounds.find((r) => r.round.id === args);
    if (named) return chooseStudent(named);
    if (args) return end(say("opinion-closed-refused"));
    if (rounds.length === 0) return end(say("opinion-none-open"));
    return rounds.length === 1 ? chooseStudent(rounds[0]!) : go("round", {});
  },
  steps: {
    round: ask.choice({
      prompt: say("opinion-pick-round"),
      perRow: 1,
      choices: async (ctx) => (await roundsOf(ctx)).map((r) => ({ id: r.round.id, label: { text: shortLabel(r.round.topic) } })),
      onAnswer: async (id, ctx) => {
        const r = (await roundsOf(ctx)).find((x) => x.round.id === id);
        return r ? chooseStudent(r) : end(say("opinion-closed-refused"));
      },
    }),
    student: ask.choice({
      prompt: say("opinion-pick-student"),
      perRow: 1,
      choices: async (ctx) => ((await roundsOf(ctx)).find((r) => r.round.id === ctx.data.roundId)?.students ?? [])
        .map((s) => ({ id: s.studentId, label: { text: s.studentName } })),
      onAnswer: async (id, ctx) => {
        const s = (await roundsOf(ctx)).find((r) => r.round.id === ctx.data.roundId)?.students.find((x) => x.studentId === id);
        return s ? go("write", { ...ctx.data, studentId: s.studentId, studentName: s.studentName }) : end(say("opinion-closed-refused"));
      },
    }),
    write: ask.text({
      prompt: ({ data }) => say("opinion-ask-text", { topic: data.topic ?? "" }),
      maxLength: 2000,
      // A lone number or a letter or two is a choice typed in the wrong place, not an opinion.
      onAnswer: (text, { data }) => ([...text.trim()].length < OPINION_MIN_CHARS || /^\d+$/.test(text.trim())
        ? reprompt(say("opinion-text-too-short"))
        : go("anonymity", { ...data, text, submission: newSubmissionToken() })),
    }),
    anonymity: ask.choice({
      prompt: say("opinion-ask-anonymity"),
      perRow: 1,
      choices: ({ data }) => [
        { id: "named", label: { key: "opinion-named", args: { studentName: data.studentName ?? "" } }, aliases: ["ghi ten", "named"] },
        { id: "anonymous", label: { key: "opinion-anonymous" }, aliases: ["an danh", "anonymous"] },
      ],
      onAnswer: async (id, ctx) => {
        const d = ctx.data;
        const r = await ctx.services.polls.submitOpinion(actorOf(ctx)!, {
          roundId: d.roundId!, studentId: d.studentId!, text: d.text!, anonymous: id === "anonymous", submission: d.submission ?? newSubmissionToken(),
        });
        if (r.status === "not-found") return end(say("opinion-not-found"));
        if (r.status === "closed") return end(say("opinion-closed-refused"));
        return end(say("opinion-recorded", { ...roundArgs(r.round), anonymous: id === "anonymous" ? "yes" : "no", deadline: dateArg(r.round.closesAt) }));
      },
    }),
  },
});
