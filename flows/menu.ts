/** `/menu`: the role-aware main menu; each choice starts that feature's flow. */
import { ask, defineFlow, go, switchTo, type Choice } from "./kit.js";
import { say } from "../src/engine/say.js";
import { isLinked, isStaff, leadsSchool, type Roles } from "../src/domain/roles.js";
import { schoolBoardPayload } from "../src/features/boards/port.js";
import type { MessageKey } from "../src/i18n/keys.js";
import { isIdleAnswer } from "./idle.js";

const item = (id: string, key: MessageKey): Choice => ({ id, label: { key } });

/** The menu entries a person with these roles gets, in order. */
export function menuChoices(roles: Roles): Choice[] {
  if (!isLinked(roles))
    return [item("link", "menu-link"), item("language", "menu-language"), item("privacy", "menu-privacy"), item("help", "menu-help")];
  const staff = isStaff(roles);
  const board = roles.board.length > 0;
  const led = [...new Set(roles.staff.map((s) => s.schoolId))].filter((schoolId) => leadsSchool(roles, schoolId));
  return [
    item("meeting", "menu-meeting"),
    item("concern", staff ? "menu-concern-staff" : "menu-concern"),
    item("notice", staff ? "menu-notice-staff" : "menu-notice"),
    item("poll", staff || board ? "menu-poll-staff" : "menu-poll"),
    item("opinion", staff || board ? "menu-opinion-staff" : "menu-opinion"),
    // The class parents' board: recorded by the homeroom teacher (or BGH) after the start-of-year meeting.
    ...(staff ? [item("class-board", "menu-board")] : []),
    // The school parents' board: recorded by BGH (a button for their one school; typed, the flow asks which).
    ...(led.length > 0 ? [{ ...item("school-board", "menu-school-board"), ...(led.length === 1 ? { payload: schoolBoardPayload(led[0]!) } : {}) }] : []),
    ...(roles.guardianOf.length > 0 || !staff ? [item("link", "menu-link-more")] : []),
    item("language", "menu-language"),
    item("privacy", "menu-privacy"),
    item("help", "menu-help"),
  ];
}

export const menu = defineFlow({
  id: "menu",
  version: 1,
  start: (_args, ctx) => go("choose", {}, isLinked(ctx.person.roles) ? say("menu-greeting-linked") : say("menu-greeting")),
  steps: {
    choose: ask.choice({
      prompt: say("menu-prompt"),
      choices: (ctx) => menuChoices(ctx.person.roles),
      onAnswer: (choice) => switchTo(choice),
      // A code pasted (or «đã xem» typed) while the menu is open is not a menu choice.
      onOtherText: (text) => (isIdleAnswer(text) ? switchTo("idle", text) : undefined),
    }),
  },
});
