/** `/quantri` (`/admin`): a one-time sign-in link to the school office console. */
import { defineFlow, end } from "./kit.js";
import { say } from "../src/engine/say.js";

export const admin = defineFlow({
  id: "admin",
  version: 1,
  start: async (_args, ctx) => {
    const r = await ctx.services.console.issueLink(ctx.person.identityId, ctx.person.roles);
    if (r.status === "not-allowed") return end(say("admin-not-allowed"));
    return end(say("admin-link", { url: r.url, minutes: r.minutes, scope: r.scope, class: r.className || "-" }));
  },
  steps: {},
});
