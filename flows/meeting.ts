/**
 * `/hop` (`/meeting`): organizers pick one of their meetings or create one; guardians see
 * the upcoming meetings of their children with RSVP and question buttons.
 */
import { ask, defineFlow, end, go, switchTo, type ActionHandler, type Choice, type Flow } from "./kit.js";
import { say, type Say } from "../src/engine/say.js";
import { meetingArgs, rsvpPayload } from "../src/features/meetings/port.js";
import { actorOf, isOrganizer } from "./meeting-shared.js";
import { meetingCreate } from "./meeting-create.js";
import { meetingManage } from "./meeting-manage.js";
import { meetingAnswerActions, meetingAsk, meetingBoardComment, meetingOpinion, meetingRsvpReason } from "./meeting-answers.js";
import { meetingPetition, petitionActions } from "./meeting-petition.js";

const meeting = defineFlow<Record<string, never>, "pick">({
  id: "meeting",
  version: 1,
  start: async (_args, ctx) => {
    const actor = actorOf(ctx);
    if (!actor) return end(say("meeting-not-linked"));
    if (isOrganizer(ctx)) return go("pick", {});
    const invites = await ctx.services.meetings.listForGuardian(actor);
    const petition = say("meeting-petition-offer", {}, ctx.person.roles.guardianOf.map((g) => [{ key: "meeting-petition-start-button", args: { student: g.studentName }, payload: `mpn-${g.studentId}` }]));
    if (invites.length === 0) return end(say("meeting-none-upcoming"), ...(ctx.person.roles.guardianOf.length ? [petition] : []));
    const says: Say[] = [];
    for (const inv of invites)
      for (const s of inv.students)
        says.push(say("meeting-guardian-item", { ...meetingArgs(inv.meeting), student: s.studentName, answer: s.answer ?? "none", reason: s.reason ?? "" }, [
          [{ key: "meeting-rsvp-yes", payload: rsvpPayload(inv.meeting.id, s.studentId, "yes") }, { key: "meeting-rsvp-no", payload: rsvpPayload(inv.meeting.id, s.studentId, "no") }],
          [{ key: "meeting-rsvp-other", payload: rsvpPayload(inv.meeting.id, s.studentId, "other") }],
          [{ key: "meeting-ask-question-button", payload: `mq-${inv.meeting.id}-${s.studentId}` }],
        ]));
    return end(...says, petition);
  },
  steps: {
    pick: ask.choice({
      prompt: say("meeting-organizer-prompt"),
      perRow: 1,
      choices: async (ctx): Promise<Choice[]> => {
        const mine = await ctx.services.meetings.listOrganized(actorOf(ctx)!);
        return [
          ...mine.map((m) => ({ id: m.id, label: { key: "meeting-item-label" as const, args: { ...meetingArgs(m), status: m.status } } })),
          { id: "new", label: { key: "meeting-new" }, aliases: ["moi", "tao", "tao moi", "new"] },
        ];
      },
      onAnswer: (id) => (id === "new" ? switchTo("meeting-create") : switchTo("meeting-manage", id)),
    }),
  },
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- flows differ in data and step types
export const meetingFlows: Flow<any, any>[] = [meeting, meetingCreate, meetingManage, meetingRsvpReason, meetingBoardComment, meetingAsk, meetingOpinion, meetingPetition];
export const meetingActions: ActionHandler[] = [...meetingAnswerActions, ...petitionActions];
