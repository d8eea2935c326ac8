/** Free text with no conversation open: a pasted invite code links; anything else gets a hint. */
import { defineFlow, end, switchTo } from "./kit.js";
import { say } from "../src/engine/say.js";
import { normalizeInviteCode } from "../src/domain/invite-code.js";
import { foldText } from "../src/domain/text.js";
import { isLinked } from "../src/domain/roles.js";
import { normalizePairingCode } from "../src/features/linking/channels.js";

const GREETINGS = new Set(["hi", "hello", "xin chao", "chao", "alo", "menu", "bat dau", "start"]);
/**
 * What parents type under a notice or an invitation instead of pressing its button (folded,
 * without a closing "ạ"). Outside a conversation nothing is pending, so they get those notices
 * or invitations again, each with its buttons (and, on the Zalo Bot, its numbered list).
 */
const SEEN_WORDS = new Set(["da xem", "xem roi", "da doc", "doc roi", "da nhan", "nhan roi", "da nhan duoc", "seen", "read"]);
const RSVP_WORDS = new Set([
  "tham du", "co tham du", "se tham du", "khong tham du", "ko tham du", "k tham du", "di hop", "co di hop", "se di hop",
  "khong di hop", "ko di hop", "du hop", "co du hop", "khong du hop", "vang mat", "xin vang mat", "nguoi nha du thay",
  "attend", "will attend", "not attending", "cannot attend",
]);

/** What idle does more with than a hint: a code, or an answer typed under a notice or an invitation. */
export function isIdleAnswer(text: string): boolean {
  const words = foldText(text).replace(/[.!?,;:]+$/g, "").replace(/ a$/, "");
  return Boolean(normalizePairingCode(text) || normalizeInviteCode(text) || SEEN_WORDS.has(words) || RSVP_WORDS.has(words));
}

export const idle = defineFlow({
  id: "idle",
  version: 1,
  start: (text, { person }) => {
    if (normalizePairingCode(text)) return switchTo("channel", text);
    if (normalizeInviteCode(text)) return switchTo("link", text);
    const words = foldText(text).replace(/[.!?,;:]+$/g, "").replace(/ a$/, "");
    if (GREETINGS.has(words)) return switchTo(isLinked(person.roles) ? "menu" : "link");
    const guardian = person.roles.guardianOf.length > 0;
    if (guardian && SEEN_WORDS.has(words)) return switchTo("notice-inbox", "", say("idle-answer-notice"));
    // Staff and board members open an organiser's menu under /hop: only a guardian gets the invitations.
    if (guardian && person.roles.staff.length + person.roles.board.length === 0 && RSVP_WORDS.has(words))
      return switchTo("meeting", "", say("idle-answer-meeting"));
    return end(say(isLinked(person.roles) ? "idle-linked" : "idle-unlinked"));
  },
  steps: {},
});
