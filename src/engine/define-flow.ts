/**
 * Flows are typed step machines. A conversation's position is `{flowId, flowVersion, step,
 * data}`, stored between turns; a step either asks for text or for a choice, and its answer
 * handler returns a transition. Misspelled steps or message keys fail to compile.
 *
 * @example
 * export const hello = defineFlow({
 *   id: "hello", version: 1, initial: "askName",
 *   start: () => go("askName", {}),
 *   steps: {
 *     askName: ask.text({ prompt: say("hello-ask"), onAnswer: (name) => end(say("hello-done", { name })) }),
 *   },
 * })
 *
 * Every type takes the services its flows see as a last parameter (`Sv`, default
 * `CoreServices`); an app binds it once (see `flows/kit.ts`).
 */
import type { InboundEvent } from "./messages.js";
import type { CoreServices, Json, Person } from "./ports.js";
import type { Say } from "./say.js";
import type { MessageKey } from "../i18n/keys.js";

export type FlowData = { [key: string]: Json };

/** What a step handler sees. */
export interface FlowContext<D extends FlowData = FlowData, Sv extends CoreServices = CoreServices> {
  data: D;
  person: Person;
  services: Sv;
  event: InboundEvent;
  now: Date;
}

/** Where the conversation goes after an answer. */
export type Transition<S extends string = string> =
  | { type: "go"; step: S; data: FlowData; say: Say[] }
  | { type: "end"; say: Say[] }
  /** The answer could not be used: say why and ask the same step again. */
  | { type: "reprompt"; say: Say[] }
  /** Hand over to another flow (e.g. the menu starting the concern flow). */
  | { type: "switch"; flowId: string; args: string; say: Say[] };

/** Moves to `step` with new `data`, saying `says` before the step's prompt. */
export function go<S extends string>(step: S, data: FlowData, ...says: Say[]): Transition<S> {
  return { type: "go", step, data, say: says };
}

/** Ends the flow, saying `says`. */
export function end(...says: Say[]): Transition<never> {
  return { type: "end", say: says };
}

/** Asks the same step again after saying what was wrong. */
export function reprompt(...says: Say[]): Transition<never> {
  return { type: "reprompt", say: says };
}

/** Starts another flow as if its command had been sent. */
export function switchTo(flowId: string, args = "", ...says: Say[]): Transition<never> {
  return { type: "switch", flowId, args, say: says };
}

type Awaitable<T> = T | Promise<T>;
type Prompt<D extends FlowData, Sv extends CoreServices> = Say | ((ctx: FlowContext<D, Sv>) => Awaitable<Say>);

/** One option of a choice step. */
export interface Choice {
  id: string;
  label: { key: MessageKey; args?: Say["args"] } | { text: string };
  /** Extra typed answers that mean this choice (already folded: "co", "dong y"). */
  aliases?: string[];
  /**
   * The button sends this action payload instead of answering the step (`c-<id>`): for buttons
   * that must keep working on a message that outlives the step (a self-refreshing report).
   * Typed answers still reach `onAnswer`.
   */
  payload?: string;
}

/**
 * Navigation every step gets from the engine: a *Quay lại* (back) button once there is a step
 * behind, a *Hủy* (cancel) button, and for optional steps (`skip`) a *Bỏ qua* button. Typed
 * "quay lại", "hủy", and on optional steps "bỏ qua"/"không", do the same.
 */
interface StepNavigation<D extends FlowData, S extends string, Sv extends CoreServices> {
  /** Makes the step optional: what *Bỏ qua* (or a typed "không", "bỏ qua") does. */
  skip?: (ctx: FlowContext<D, Sv>) => Awaitable<Transition<S>>;
  /** `false`: no *Hủy* button (the step offers its own way out, e.g. a menu's *Xong*). */
  cancel?: false;
}

export interface TextStep<D extends FlowData, S extends string, Sv extends CoreServices = CoreServices> extends StepNavigation<D, S, Sv> {
  kind: "text";
  prompt: Prompt<D, Sv>;
  /** Longest accepted answer, in characters. */
  maxLength?: number;
  /** Attachments (photos, documents) are accepted only by steps that handle them. */
  onAttachment?: (file: Extract<InboundEvent, { kind: "attachment" }>, ctx: FlowContext<D, Sv>) => Awaitable<Transition<S>>;
  onAnswer: (text: string, ctx: FlowContext<D, Sv>) => Awaitable<Transition<S>>;
}

export interface ChoiceStep<D extends FlowData, S extends string, Sv extends CoreServices = CoreServices> extends StepNavigation<D, S, Sv> {
  kind: "choice";
  prompt: Prompt<D, Sv>;
  choices: Choice[] | ((ctx: FlowContext<D, Sv>) => Awaitable<Choice[]>);
  /** Buttons per row (default 2; long labels read better one per row). */
  perRow?: number;
  onAnswer: (choiceId: string, ctx: FlowContext<D, Sv>) => Awaitable<Transition<S>>;
  /** Typed text that matches no choice: a transition, or undefined to ask again (the default). */
  onOtherText?: (text: string, ctx: FlowContext<D, Sv>) => Awaitable<Transition<S> | undefined>;
}

export type Step<D extends FlowData, S extends string, Sv extends CoreServices = CoreServices> = TextStep<D, S, Sv> | ChoiceStep<D, S, Sv>;

/** A flow definition. `version` must change whenever steps or their data change shape. */
export interface Flow<D extends FlowData = FlowData, S extends string = string, Sv extends CoreServices = CoreServices> {
  id: string;
  version: number;
  /** Runs when the flow's command arrives (`args` is the text after the command). */
  start: (args: string, ctx: FlowContext<D, Sv>) => Awaitable<Transition<S>>;
  steps: Record<S, Step<D, S, Sv>>;
}

/** Declares a flow; the step names are checked by the compiler. */
export function defineFlow<D extends FlowData, S extends string, Sv extends CoreServices = CoreServices>(flow: Flow<D, S, Sv>): Flow<D, S, Sv> {
  return flow;
}

/** Step builders. */
export const ask = {
  text<D extends FlowData, S extends string, Sv extends CoreServices = CoreServices>(step: Omit<TextStep<D, S, Sv>, "kind">): TextStep<D, S, Sv> {
    return { kind: "text", ...step };
  },
  choice<D extends FlowData, S extends string, Sv extends CoreServices = CoreServices>(step: Omit<ChoiceStep<D, S, Sv>, "kind">): ChoiceStep<D, S, Sv> {
    return { kind: "choice", ...step };
  },
};

/** A handler for buttons that live outside any conversation (an RSVP under an invitation). */
export interface ActionHandler<Sv extends CoreServices = CoreServices> {
  /** Payload prefix this handler owns, e.g. "rsvp-". */
  prefix: string;
  handle: (payload: string, ctx: Omit<FlowContext<FlowData, Sv>, "data">) => Awaitable<Transition>;
}

/**
 * Telegram splits a pasted text longer than this into several messages. A text step that
 * accepts more (`maxLength` above it) is a long-text step: the receiver joins the pieces of
 * one paste into one answer (see receiver.ts).
 */
export const MESSAGE_SPLIT_LENGTH = 4096;

/** True for a text step whose answer may arrive split into several messages. */
export function takesLongText(step: Step<FlowData, string, never> | undefined): boolean {
  return step?.kind === "text" && (step.maxLength ?? 0) > MESSAGE_SPLIT_LENGTH;
}

/** Prefix of choice buttons inside flows: "c-<choiceId>". */
export const CHOICE_PREFIX = "c-";
