/**
 * Linking with an invite code: `/start <code>` (deep link), `/lienket <code>`, or a code typed
 * as plain text. The privacy notice comes before anything is stored; without consent nothing
 * is linked. Wrong codes are throttled per chat so codes cannot be enumerated.
 */
import { addressKey } from "../src/engine/messages.js";
import { ask, CONSENT_CHOICES, defineFlow, end, go, switchTo, type FlowContext, type Transition } from "./kit.js";
import { say, type Say } from "../src/engine/say.js";
import type { CodePreview } from "../src/features/linking/port.js";
import { normalizeInviteCode } from "../src/domain/invite-code.js";
import { isLinked } from "../src/domain/roles.js";
import { foldText } from "../src/domain/text.js";
import { givenName } from "../src/domain/address.js";

/** Bumped whenever the privacy notice changes meaning; stored with every consent record. */
export const CONSENT_VERSION = "2026-12-v2";

type LinkData = { code?: string };
type LinkStep = "askCode" | "consent";

function grantSay(preview: CodePreview): Say {
  if (preview.grant === "guardian")
    return say("link-found-student", { student: preview.studentName ?? "", class: preview.className ?? "", school: preview.schoolName });
  return say("link-found-role", { role: preview.roleKey ?? "", class: preview.className ?? "none", school: preview.schoolName, name: preview.staffName ?? "-" });
}

async function tryCode(input: string, ctx: FlowContext<LinkData>): Promise<Transition<LinkStep>> {
  const key = `code:${addressKey(ctx.event.address)}`;
  const blocked = await ctx.services.throttle.isBlocked(key);
  if (blocked.blocked) return end(say("link-too-many", { minutes: Math.ceil(blocked.retryAfterSeconds / 60) }));
  const code = normalizeInviteCode(input);
  const check = code ? await ctx.services.linking.check(code, ctx.event.address) : ({ status: "invalid" } as const);
  if (check.status === "invalid" || !code) {
    const after = await ctx.services.throttle.fail(key);
    if (after.blocked) return end(say("link-too-many", { minutes: Math.ceil(after.retryAfterSeconds / 60) }));
    return go("askCode", {}, say("link-invalid-code"));
  }
  // Their own code again (a second tap on the school's link): nothing to agree to again.
  if (check.status === "already-linked") return end(say("link-already"), say("menu-hint"));
  return go("consent", { code }, grantSay(check.preview));
}

export const link = defineFlow<LinkData, LinkStep>({
  id: "link",
  version: 1,
  start: (args, ctx) => {
    if (args) return tryCode(args, ctx);
    // A linked person's bare /start (Telegram's Start button) opens the menu; /lienket and the
    // menu's «Liên kết thêm con» ask for the next code (they used to loop back to the menu).
    if (isLinked(ctx.person.roles)) return ctx.event.kind === "command" && foldText(ctx.event.command) === "start" ? switchTo("menu") : go("askCode", {});
    return go("askCode", {}, say("link-welcome"));
  },
  steps: {
    askCode: ask.text({ prompt: say("link-ask-code"), maxLength: 64, onAnswer: tryCode }),
    consent: ask.choice({
      prompt: say("privacy-notice"),
      perRow: 1,
      choices: CONSENT_CHOICES,
      // Another code pasted instead of an answer (a second child's slip): read that one instead.
      onOtherText: (text, ctx) => (normalizeInviteCode(text) ? tryCode(text, ctx) : undefined),
      onAnswer: async (choice, ctx) => {
        if (choice === "decline") return end(say("link-declined"));
        const result = await ctx.services.linking.redeem({
          code: ctx.data.code ?? "",
          address: ctx.event.address,
          displayName: ctx.person.displayName,
          locale: ctx.person.locale,
          consentVersion: CONSENT_VERSION,
          eventId: ctx.event.id,
        });
        if (result.status === "invalid") return end(say("link-code-gone"));
        if (result.status === "already-linked") return end(say("link-already"), say("menu-hint"));
        const done = result.preview.grant === "guardian"
          ? say("link-done-student", { student: result.preview.studentName ?? "", class: result.preview.className ?? "" })
          : say("link-done-role", { role: result.preview.roleKey ?? "", class: result.preview.className ?? "none", title: result.preview.staffTitle ?? "none", readerName: givenName(result.preview.staffName ?? "") });
        return end(done, say("menu-hint"));
      },
    }),
  },
});
