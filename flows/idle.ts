/** Free text with no conversation open: a pasted invite code links; anything else gets a hint. */
import { defineFlow, end, switchTo } from "./kit.js";
import { say } from "../src/engine/say.js";
import { normalizeInviteCode } from "../src/domain/invite-code.js";
import { foldText } from "../src/domain/text.js";
import { isLinked } from "../src/domain/roles.js";
import { normalizePairingCode } from "../src/features/linking/channels.js";

const GREETINGS = new Set(["hi", "hello", "xin chao", "chao", "alo", "menu", "bat dau", "start"]);

export const idle = defineFlow({
  id: "idle",
  version: 1,
  start: (text, { person }) => {
    if (normalizePairingCode(text)) return switchTo("channel", text);
    if (normalizeInviteCode(text)) return switchTo("link", text);
    if (GREETINGS.has(foldText(text))) return switchTo(isLinked(person.roles) ? "menu" : "link");
    return end(say(isLinked(person.roles) ? "idle-linked" : "idle-unlinked"));
  },
  steps: {},
});
