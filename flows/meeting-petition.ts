/**
 * Extraordinary-meeting petition (Circular 55/2011 Art. 9): a guardian asks with a reason,
 * other households of the class co-sign; at half of the class the homeroom teacher and the
 * class board head are told at once. One signature per student (household).
 */
import { ask, defineFlow, end, go, switchTo, type ActionHandler, type Transition } from "./kit.js";
import { say } from "../src/engine/say.js";
import type { PetitionResult } from "../src/features/meetings/port.js";
import { actorOf } from "./meeting-shared.js";

function petitionReply(r: PetitionResult): Transition<never> {
  if (r.status === "not-found") return end(say("meeting-not-found"));
  if (r.status === "already-signed") return end(say("meeting-petition-already", { signatures: r.signatures, households: r.households }));
  return end(say(r.reached ? "meeting-petition-signed-reached" : "meeting-petition-signed", { signatures: r.signatures, households: r.households }));
}

export const meetingPetition = defineFlow<{ studentId?: string }, "askReason">({
  id: "meeting-petition",
  version: 1,
  start: (studentId) => go("askReason", { studentId }),
  steps: {
    askReason: ask.text({
      prompt: say("meeting-petition-ask-reason"),
      maxLength: 500,
      onAnswer: async (reason, ctx) => {
        const actor = actorOf(ctx);
        if (!actor) return end(say("meeting-not-linked"));
        return petitionReply(await ctx.services.meetings.startPetition(actor, ctx.data.studentId ?? "", reason, ctx.event.id));
      },
    }),
  },
});

export const petitionActions: ActionHandler[] = [
  { prefix: "mpn-", handle: (payload) => switchTo("meeting-petition", payload.slice("mpn-".length)) },
  {
    prefix: "mp-",
    handle: async (payload, ctx) => {
      const m = /^mp-(p[a-z0-9]+)-(.+)$/.exec(payload);
      const actor = actorOf(ctx);
      if (!m || !actor) return end(say("meeting-not-found"));
      return petitionReply(await ctx.services.meetings.signPetition(actor, m[1]!, m[2]!));
    },
  },
];
