/**
 * `/gopy` (`/opinion`): staff and board members open an opinion round or read theirs;
 * guardians write opinions in the open rounds of their children. The "og-<round>" button
 * under a round's invitation starts writing in that round.
 */
import { ask, defineFlow, end, go, switchTo, type ActionHandler, type Flow } from "./kit.js";
import { say } from "../src/engine/say.js";
import { organizerScopes } from "../src/domain/poll.js";
import { actorOf } from "./poll-shared.js";
import { opinionCreate } from "./opinion-create.js";
import { opinionManage } from "./opinion-manage.js";
import { opinionGive } from "./opinion-give.js";

const opinion = defineFlow<Record<string, never>, "menu">({
  id: "opinion",
  version: 1,
  start: (_args, ctx) => {
    if (!actorOf(ctx)) return end(say("poll-not-linked"));
    const organizer = organizerScopes(ctx.person.roles, "opinion").length > 0;
    const guardian = ctx.person.roles.guardianOf.length > 0;
    if (!organizer && !guardian) return end(say("opinion-not-allowed"));
    if (!organizer) return switchTo("opinion-give");
    return go("menu", {});
  },
  steps: {
    menu: ask.choice({
      prompt: say("opinion-menu-prompt"),
      perRow: 1,
      choices: (ctx) => [
        { id: "opinion-create", label: { key: "opinion-menu-new" }, aliases: ["tao", "moi", "mo", "new"] },
        { id: "opinion-manage", label: { key: "opinion-menu-mine" }, aliases: ["xem", "mine"] },
        ...(ctx.person.roles.guardianOf.length > 0 ? [{ id: "opinion-give", label: { key: "opinion-menu-give" as const }, aliases: ["gop y", "give"] }] : []),
      ],
      onAnswer: (id) => switchTo(id),
    }),
  },
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- flows differ in data and step types
export const opinionFlows: Flow<any, any>[] = [opinion, opinionCreate, opinionManage, opinionGive];
export const opinionActions: ActionHandler[] = [
  { prefix: "og-", handle: (payload) => switchTo("opinion-give", payload.slice("og-".length)) },
];
