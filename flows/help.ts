/** `/trogiup`: what the bot can do for this person. */
import { defineFlow, end } from "./kit.js";
import { say } from "../src/engine/say.js";
import { isLinked, isStaff } from "../src/domain/roles.js";

export const help = defineFlow({
  id: "help",
  version: 1,
  start: (_args, { person }) => {
    if (!isLinked(person.roles)) return end(say("help-unlinked"));
    const says = [say(isStaff(person.roles) ? "help-staff" : "help-guardian")];
    if (person.roles.board.length > 0) says.push(say("help-board"));
    return end(...says, say("help-channel"), say("help-common"));
  },
  steps: {},
});
