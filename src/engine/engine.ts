/**
 * The conversation runtime: `handle(event)` reads the chat's stored position, runs one step
 * of one flow, stores the new position and returns what to say. It never sends anything and
 * never imports a platform library; the receiver hands the result to the channel.
 *
 * @example
 * const result = await engine.handle(event)
 * if (result.status === "handled") for (const o of result.outbound) await channel.send(event.address, o)
 */
import { addressKey, type InboundEvent } from "./messages.js";
import type { ConversationState, CoreServices, HandleResult, Person } from "./ports.js";
import { CHOICE_PREFIX, takesLongText, type ActionHandler, type Choice, type Flow, type FlowContext, type FlowData, type Step, type Transition } from "./define-flow.js";
import { say, type Say, type SayButton } from "./say.js";
import { FlowError } from "./errors.js";
import { foldText } from "../domain/text.js";
import { readerOf } from "../domain/address.js";
import type { Translator } from "../i18n/fluent.js";

export type { HandleResult };

/** Minimal logger port (pino fits). Never pass message texts or tokens. */
export interface EngineLogger {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** `Sv`: the services the flows see (the app's, from src/features/services.ts); the engine itself uses only `CoreServices`. */
export interface EngineOptions<Sv extends CoreServices = CoreServices> {
  flows: Flow<any, any, Sv>[]; // eslint-disable-line @typescript-eslint/no-explicit-any -- flows differ in data and step types
  actions: ActionHandler<Sv>[];
  /** Folded command name (without slash) → flow id; "huy"/"cancel" are built in. */
  commands: Record<string, string>;
  /** The flow that receives free text when no conversation is open. */
  idleFlowId: string;
  /** The flow a file starts when no conversation is open (none: files are declined there). */
  attachmentFlowId?: string;
  services: Sv;
  translator: Translator;
  logger: EngineLogger;
}

const CANCEL_COMMANDS = new Set(["huy", "cancel"]);
/** A switch chain longer than this is a bug in a flow, not a user's doing. */
const MAX_SWITCHES = 3;

type AnyFlow = Flow<FlowData, string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- the engine runs steps without looking at the services they use
interface Turn {
  flow?: AnyFlow;
  state?: ConversationState;
  says: Say[];
}

/** The conversation engine. Stateless itself: everything lives behind `services`. */
export class Engine<Sv extends CoreServices = CoreServices> {
  private readonly flows: Map<string, AnyFlow>;

  constructor(private readonly options: EngineOptions<Sv>) {
    this.flows = new Map(options.flows.map((f) => [f.id, f as AnyFlow]));
    for (const [command, flowId] of Object.entries(options.commands))
      if (!this.flows.has(flowId)) throw new Error(`command /${command} names unknown flow ${flowId}`);
  }

  /** Handles one inbound event. Expected outcomes are values; only bugs throw. */
  async handle(event: InboundEvent): Promise<HandleResult> {
    const { services } = this.options;
    if (event.kind === "blocked") {
      await services.directory.markUnreachable(event.address);
      return { status: "ignored", reason: "blocked" };
    }
    const person = await services.directory.resolve(event.address, event.localeHint);
    if (event.chatType === "group") {
      if (event.kind !== "command" || !event.addressedToBot) return { status: "ignored", reason: "group-chat" };
      return this.reply(person, [say("common-group-private")]);
    }
    const key = addressKey(event.address);
    const stored = await services.conversations.get(key);
    if (stored?.lastEventId === event.id) return { status: "ignored", reason: "replay" };

    const turn: Turn = { says: [] };
    try {
      this.restore(stored, turn);
      await this.dispatch(event, person, turn);
    } catch (cause) {
      const error = new FlowError("flow step failed", { flowId: turn.flow?.id, step: turn.state?.step, eventId: event.id }, { cause });
      this.options.logger.error({ err: error, ...error.details, address: key }, "flow step failed");
      turn.says = [say("common-error")];
      turn.state = undefined;
    }
    if (turn.state) await services.conversations.put(key, { ...turn.state, updatedAt: services.clock.now(), lastEventId: event.id });
    else if (stored) await services.conversations.delete(key);
    return this.reply(person, turn.says, turn.flow?.id, turn.state?.step);
  }

  /**
   * True when `event` is a text answering a long-text step (its chat's stored position): the
   * receiver may join it with the next pieces of the same paste before handling.
   */
  async takesLongText(event: InboundEvent): Promise<boolean> {
    if (event.kind !== "text" || event.chatType !== "private") return false;
    const stored = await this.options.services.conversations.get(addressKey(event.address));
    const flow = stored ? this.flows.get(stored.flowId) : undefined;
    if (!stored || !flow || flow.version !== stored.flowVersion) return false;
    return takesLongText(flow.steps[stored.step]);
  }

  /** Loads the stored position, ending it politely when its flow changed shape since. */
  private restore(stored: ConversationState | undefined, turn: Turn): void {
    if (!stored) return;
    const flow = this.flows.get(stored.flowId);
    if (!flow || flow.version !== stored.flowVersion || !(stored.step in flow.steps)) {
      turn.says.push(say("common-flow-updated"));
      return;
    }
    turn.flow = flow;
    turn.state = stored;
  }

  private async dispatch(event: InboundEvent, person: Person, turn: Turn): Promise<void> {
    switch (event.kind) {
      case "command":
        return this.onCommand(event, person, turn);
      case "button":
        return this.onButton(event, person, turn);
      case "text":
        return this.onText(event, person, turn);
      case "attachment":
        return this.onAttachment(event, person, turn);
    }
  }

  private async onCommand(event: Extract<InboundEvent, { kind: "command" }>, person: Person, turn: Turn): Promise<void> {
    const name = foldText(event.command);
    if (CANCEL_COMMANDS.has(name)) {
      turn.says.push(say(turn.state ? "common-cancelled" : "common-nothing-to-cancel"));
      turn.state = undefined;
      turn.flow = undefined;
      return;
    }
    const flowId = this.options.commands[name];
    if (!flowId) {
      turn.says.push(say("common-unknown-command", { command: event.command }));
      return;
    }
    await this.startFlow(flowId, event.args, event, person, turn);
  }

  private async onButton(event: Extract<InboundEvent, { kind: "button" }>, person: Person, turn: Turn): Promise<void> {
    if (event.payload.startsWith(CHOICE_PREFIX)) {
      const step = this.currentStep(turn);
      const id = event.payload.slice(CHOICE_PREFIX.length);
      if (step?.kind === "choice") {
        const ctx = this.context(event, person, turn);
        const choices = await this.choicesOf(step, ctx);
        if (choices.some((c) => c.id === id)) return this.apply(await step.onAnswer(id, ctx), event, person, turn);
      }
      turn.says.push(say("common-stale-button"));
      return this.promptAgain(event, person, turn);
    }
    const action = this.options.actions.find((a) => event.payload.startsWith(a.prefix));
    if (!action) {
      turn.says.push(say("common-stale-button"));
      return;
    }
    // An action button answers outside the open conversation, which stays where it was
    // unless the action starts another flow.
    const saved = { flow: turn.flow, state: turn.state };
    const transition = await action.handle(event.payload, { person, services: this.options.services, event, now: this.options.services.clock.now() });
    if (transition.type === "switch") return this.apply(transition, event, person, turn);
    turn.says.push(...transition.say);
    Object.assign(turn, saved);
  }

  private async onText(event: Extract<InboundEvent, { kind: "text" }>, person: Person, turn: Turn): Promise<void> {
    const step = this.currentStep(turn);
    if (!step) return this.startFlow(this.options.idleFlowId, event.text, event, person, turn);
    const ctx = this.context(event, person, turn);
    if (step.kind === "text") {
      const text = event.text.trim();
      if (text.length === 0) return this.apply({ type: "reprompt", say: [say("common-empty-answer")] }, event, person, turn);
      if (step.maxLength && [...text].length > step.maxLength)
        return this.apply({ type: "reprompt", say: [say("common-too-long", { max: step.maxLength, length: [...text].length })] }, event, person, turn);
      return this.apply(await step.onAnswer(text, ctx), event, person, turn);
    }
    const choice = matchChoice(event.text, await this.choicesOf(step, ctx), this.options.translator);
    if (!choice) return this.apply({ type: "reprompt", say: [say("common-choose-one")] }, event, person, turn);
    return this.apply(await step.onAnswer(choice.id, ctx), event, person, turn);
  }

  private async onAttachment(event: Extract<InboundEvent, { kind: "attachment" }>, person: Person, turn: Turn): Promise<void> {
    const step = this.currentStep(turn);
    if (step?.kind === "text" && step.onAttachment)
      return this.apply(await step.onAttachment(event, this.context(event, person, turn)), event, person, turn);
    if (!step && this.options.attachmentFlowId) return this.startFlow(this.options.attachmentFlowId, "", event, person, turn);
    turn.says.push(say("common-attachment-unsupported"));
    if (step) await this.promptAgain(event, person, turn);
  }

  private async startFlow(flowId: string, args: string, event: InboundEvent, person: Person, turn: Turn, depth = 0): Promise<void> {
    const flow = this.flows.get(flowId);
    if (!flow) throw new Error(`unknown flow ${flowId}`);
    turn.flow = flow;
    turn.state = { flowId, flowVersion: flow.version, step: "", data: {}, updatedAt: this.options.services.clock.now() };
    const transition = await flow.start(args.trim(), this.context(event, person, turn));
    await this.apply(transition, event, person, turn, depth);
  }

  private async apply(t: Transition, event: InboundEvent, person: Person, turn: Turn, depth = 0): Promise<void> {
    turn.says.push(...t.say);
    switch (t.type) {
      case "end":
        turn.state = undefined;
        turn.flow = undefined;
        return;
      case "reprompt":
        return this.promptAgain(event, person, turn);
      case "switch":
        if (depth >= MAX_SWITCHES) throw new Error(`flow switch loop at ${t.flowId}`);
        return this.startFlow(t.flowId, t.args, event, person, turn, depth + 1);
      case "go": {
        const flow = turn.flow;
        if (!flow || !(t.step in flow.steps)) throw new Error(`flow ${flow?.id} has no step ${t.step}`);
        turn.state = { flowId: flow.id, flowVersion: flow.version, step: t.step, data: t.data, updatedAt: this.options.services.clock.now() };
        turn.says.push(await this.promptOf(flow.steps[t.step]!, this.context(event, person, turn)));
      }
    }
  }

  private async promptAgain(event: InboundEvent, person: Person, turn: Turn): Promise<void> {
    const step = this.currentStep(turn);
    if (step) turn.says.push(await this.promptOf(step, this.context(event, person, turn)));
  }

  private currentStep(turn: Turn): Step<FlowData, string> | undefined {
    return turn.flow && turn.state?.step ? turn.flow.steps[turn.state.step] : undefined;
  }

  private async promptOf(step: Step<FlowData, string>, ctx: FlowContext): Promise<Say> {
    const prompt = typeof step.prompt === "function" ? await step.prompt(ctx) : step.prompt;
    if (step.kind === "text") return prompt;
    const choices = await this.choicesOf(step, ctx);
    const buttons: SayButton[] = choices.map((c) => ({ ...c.label, payload: CHOICE_PREFIX + c.id }));
    const perRow = step.perRow ?? 2;
    const rows: SayButton[][] = [];
    for (let i = 0; i < buttons.length; i += perRow) rows.push(buttons.slice(i, i + perRow));
    return { ...prompt, buttons: [...(prompt.buttons ?? []), ...rows] };
  }

  private async choicesOf(step: Extract<Step<FlowData, string>, { kind: "choice" }>, ctx: FlowContext): Promise<Choice[]> {
    return typeof step.choices === "function" ? step.choices(ctx) : step.choices;
  }

  private context(event: InboundEvent, person: Person, turn: Turn): FlowContext {
    return { data: turn.state?.data ?? {}, person, services: this.options.services, event, now: this.options.services.clock.now() };
  }

  private reply(person: Person, says: Say[], flowId?: string, step?: string): HandleResult {
    // The form of address is decided here once: every message knows who reads it (`$reader`, `$title`).
    const reader = readerOf(person.roles);
    const outbound = says.map((s) => this.options.translator.render(person.locale, s, reader, person.timeZone));
    return { status: "handled", outbound, flowId, step };
  }
}

/**
 * Matches a typed answer to a choice: by number ("2"), by label in either language or by an
 * alias, all without diacritics or case ("dong y", "Đồng ý", "ĐỒNG Ý").
 */
export function matchChoice(input: string, choices: Choice[], translator: Translator): Choice | undefined {
  const typed = foldText(input).replace(/[.!?,;:]+$/g, "");
  if (/^\d+$/.test(typed)) return choices[Number(typed) - 1];
  return choices.find((c) => {
    const label = c.label;
    const labels = "text" in label ? [label.text] : (["vi", "en"] as const).map((l) => translator.t(l, label.key, label.args));
    return c.id === typed || labels.some((l) => foldText(l) === typed) || (c.aliases ?? []).includes(typed);
  });
}
