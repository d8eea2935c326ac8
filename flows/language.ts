/** `/ngonngu`: Tiếng Việt / English. `/ngonngu en` switches at once. */
import { ask, defineFlow, end, go, type FlowContext } from "./kit.js";
import { say } from "../src/engine/say.js";
import { foldText } from "../src/domain/text.js";
import type { Locale } from "../src/i18n/fluent.js";

async function choose(locale: Locale, ctx: Omit<FlowContext, "data">) {
  await ctx.services.directory.setLocale(ctx.event.address, locale);
  ctx.person.locale = locale; // the confirmation below is already in the new language
  return end(say("language-set"));
}

export const language = defineFlow({
  id: "language",
  version: 1,
  start: (args, ctx) => {
    const wanted = foldText(args);
    if (["vi", "tieng viet", "vietnamese"].includes(wanted)) return choose("vi", ctx);
    if (["en", "english", "tieng anh"].includes(wanted)) return choose("en", ctx);
    return go("choose", {});
  },
  steps: {
    choose: ask.choice({
      prompt: say("language-prompt"),
      choices: [
        { id: "vi", label: { key: "language-vi" }, aliases: ["vi", "tieng viet", "vietnamese"] },
        { id: "en", label: { key: "language-en" }, aliases: ["en", "english", "tieng anh"] },
      ],
      onAnswer: (choice, ctx) => choose(choice === "en" ? "en" : "vi", ctx),
    }),
  },
});
