/**
 * `/meeting`: placeholder until its issue lands; answers politely instead of failing.
 * The feature exports every flow and button handler it owns in `meetingFlows` / `meetingActions`;
 * one of the flows must have the id "meeting" (the command's target).
 */
import { defineFlow, end, type ActionHandler, type Flow } from "../src/engine/define-flow.js";
import { say } from "../src/engine/say.js";

const meeting = defineFlow({
  id: "meeting",
  version: 1,
  start: () => end(say("feature-coming")),
  steps: {},
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- flows differ in data and step types
export const meetingFlows: Flow<any, any>[] = [meeting];
export const meetingActions: ActionHandler[] = [];
