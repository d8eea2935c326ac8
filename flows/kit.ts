/**
 * The flow vocabulary of this app: `src/engine/define-flow.ts` bound to the app's services
 * (`src/features/services.ts`), so a flow's `ctx.services` has every feature's port while the
 * engine names none. Flows import from here, never from the engine's define-flow directly.
 */
import * as engine from "../src/engine/define-flow.js";
import type { Choice, FlowData } from "../src/engine/define-flow.js";
import type { Services } from "../src/features/services.js";

export { go, end, reprompt, switchTo, CHOICE_PREFIX, type Choice, type FlowData, type Transition } from "../src/engine/define-flow.js";

/** What a step handler sees. */
export type FlowContext<D extends FlowData = FlowData> = engine.FlowContext<D, Services>;
/** A flow definition over the app's services. */
export type Flow<D extends FlowData = FlowData, S extends string = string> = engine.Flow<D, S, Services>;
export type Step<D extends FlowData, S extends string> = engine.Step<D, S, Services>;
/** A handler for buttons outside any conversation. */
export type ActionHandler = engine.ActionHandler<Services>;

/** Declares a flow; the step names are checked by the compiler. */
export function defineFlow<D extends FlowData, S extends string>(flow: Flow<D, S>): Flow<D, S> {
  return flow;
}

/**
 * A menu choice naming the object it acts on ("close.p123"): a button left under another
 * object's menu no longer matches the open one (it is stale), so it never acts on the wrong
 * poll, round or meeting. `choiceAction` reads the action back.
 */
export const scopedChoice = (action: string, objectId: string): string => `${action}.${objectId}`;
export const choiceAction = (id: string): string => id.split(".")[0]!;

/** Step builders. */
export const ask = {
  text: <D extends FlowData, S extends string>(step: Omit<engine.TextStep<D, S, Services>, "kind">) => engine.ask.text<D, S, Services>(step),
  choice: <D extends FlowData, S extends string>(step: Omit<engine.ChoiceStep<D, S, Services>, "kind">) => engine.ask.choice<D, S, Services>(step),
};

/** The privacy consent's two answers, the same wherever a person consents (linking, pairing a messenger). */
export const CONSENT_CHOICES: Choice[] = [
  { id: "agree", label: { key: "link-consent-agree" }, aliases: ["co", "dong y", "yes", "ok", "agree"] },
  { id: "decline", label: { key: "link-consent-decline" }, aliases: ["khong", "ko", "no", "tu choi"] },
];

/** "2, 5" / "2 5" / "2;5" → [2, 5]; undefined when anything else is typed or a number is out of 1..count. */
export function readNumbers(text: string, count: number): number[] | undefined {
  const parts = text.split(/[\s,;.]+/).filter(Boolean);
  if (parts.length === 0 || !parts.every((p) => /^\d+$/.test(p))) return undefined;
  const numbers = [...new Set(parts.map(Number))];
  return numbers.every((n) => n >= 1 && n <= count) ? numbers.sort((a, b) => a - b) : undefined;
}
