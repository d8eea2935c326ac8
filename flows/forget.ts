/** `/xoadulieu`: deletes everything stored about the person, after a confirmation. */
import { ask, defineFlow, end, go } from "./kit.js";
import { say } from "../src/engine/say.js";
import { messengerName } from "./channel.js";

export const forget = defineFlow({
  id: "forget",
  version: 1,
  start: () => go("confirm", {}),
  steps: {
    confirm: ask.choice({
      prompt: say("forget-confirm"),
      perRow: 1,
      choices: [
        { id: "delete", label: { key: "forget-yes" }, aliases: ["xoa", "co", "dong y", "yes", "delete"] },
        { id: "keep", label: { key: "forget-no" }, aliases: ["khong", "ko", "no", "keep", "giu"] },
      ],
      onAnswer: async (choice, ctx) => {
        if (choice === "keep") return end(say("forget-kept"));
        const { otherChannels = [] } = await ctx.services.privacy.forget(ctx.event.address, ctx.event.id);
        if (otherChannels.length === 0) return end(say("forget-done"));
        return end(say("forget-done"), say("forget-done-paired", { channels: [...new Set(otherChannels.map(messengerName))].join(", ") }));
      },
    }),
  },
});
