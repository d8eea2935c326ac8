/**
 * The conversation runtime: `handle(event)` reads the chat's stored position, runs one step
 * of one flow, stores the new position and returns what to say. It never sends anything and
 * never imports a platform library; the receiver hands the result to the channel.
 *
 * @example
 * const result = await engine.handle(event)
 * if (result.status === "handled") for (const o of result.outbound) await channel.send(event.address, o)
 */
import { addressKey, KEYBOARD_MAX_AGE_MS, NAV_CHOICES, SETTLED_PAYLOAD, type InboundEvent, type Outbound } from "./messages.js";
import type { ConversationState, CoreServices, HandleResult, KeyboardMemory, Person } from "./ports.js";
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
  /**
   * The last buttons sent to each chat (the channels remember them as they send): a number or
   * a label typed outside a conversation step is read as pressing one of them. Without it,
   * such text goes to the idle flow.
   */
  keyboards?: KeyboardMemory;
}

const CANCEL_COMMANDS = new Set(["huy", "cancel"]);
/** Typed words that mean a navigation button (folded). "khong" skips only an optional step. */
const NAV_WORDS: Record<keyof typeof NAV_CHOICES, string[]> = {
  back: ["quay lai", "tro lai", "back"],
  // "thôi" / "không cần" / "dừng lại": how people say "never mind" in chat.
  cancel: ["huy", "huy bo", "cancel", "thoi", "thoi khong can", "khong can", "dung lai", "stop"],
  // Checked before cancel: on an optional step "không cần" skips it; elsewhere it cancels.
  skip: ["bo qua", "skip", "khong", "ko", "-", "khong can"],
};
/** Steps remembered for *Quay lại*; older ones are forgotten. */
const MAX_TRAIL = 12;
/** A switch chain longer than this is a bug in a flow, not a user's doing. */
const MAX_SWITCHES = 3;

type AnyFlow = Flow<FlowData, string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- the engine runs steps without looking at the services they use
type TrailEntry = NonNullable<ConversationState["trail"]>[number];
interface Turn {
  flow?: AnyFlow;
  state?: ConversationState;
  says: Say[];
  trail: TrailEntry[];
  answeredRef?: string;
  /** The message whose button was pressed: its keyboard is settled (replaced by `chosen`, or removed). */
  settle?: { ref: string; chosen?: Choice["label"] };
  /** Nothing to say (a second tap on an answered keyboard). */
  silent?: boolean;
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
    const resolved = await services.directory.resolve(event.address, event.localeHint);
    // Without a school zone of their own, people read and see dates in the deployment's.
    const person = resolved.timeZone ? resolved : { ...resolved, timeZone: this.options.translator.timeZone };
    if (event.chatType === "group") {
      if (event.kind !== "command" || !event.addressedToBot) return { status: "ignored", reason: "group-chat" };
      return this.reply(person, [say("common-group-private")]);
    }
    const key = addressKey(event.address);
    const stored = await services.conversations.get(key);
    if (stored?.lastEventId === event.id) return { status: "ignored", reason: "replay" };

    const turn: Turn = { says: [], trail: [] };
    this.restore(stored, turn);
    // Read before the try: while the database is down the event stays pending, as above.
    const typed = await this.typedPress(event, key, turn);
    try {
      await this.dispatch(typed, person, turn);
    } catch (cause) {
      const error = new FlowError("flow step failed", { flowId: turn.flow?.id, step: turn.state?.step, eventId: event.id }, { cause });
      this.options.logger.error({ err: error, ...error.details, address: key }, "flow step failed");
      turn.says = [say("common-error")];
      turn.state = undefined;
    }
    if (turn.silent) return { status: "ignored", reason: "answered-button" };
    // A message edited in place shows a new keyboard: taps on it are answers, not second taps.
    if (typed.kind === "button" && turn.says.some((s) => s.inPlace)) delete turn.answeredRef;
    if (turn.state) {
      const { trail: _t, answeredRef: _a, ...state } = turn.state;
      await services.conversations.put(key, {
        ...state, updatedAt: services.clock.now(), lastEventId: event.id,
        ...(turn.trail.length ? { trail: turn.trail.slice(-MAX_TRAIL) } : {}), ...(turn.answeredRef ? { answeredRef: turn.answeredRef } : {}),
      });
    } else if (stored) await services.conversations.delete(key);
    return this.reply(person, turn.says, turn.flow?.id, turn.state?.step, typed, turn.settle);
  }

  /**
   * A number ("1", "2.") or a button's label ("đồng ý", "dong y ạ", a unique run of its words)
   * typed outside a conversation step, under the last message that carried buttons to this chat
   * (a ballot, a concern sent to the teacher, an invitation): read as pressing that button, so it
   * goes through the same action, authorisation and facts as a press. The text is left as it is
   * when a step is open (the step reads it), when the buttons are older than
   * `KEYBOARD_MAX_AGE_MS`, when they were a step's own (that conversation is over), when it is a
   * word that cancels or goes back ("hủy", "thôi"), or when nothing matches exactly one of them.
   * The press carries no `messageRef`: the answer comes as new messages under what was typed,
   * not as an edit of the message far above.
   */
  private async typedPress(event: InboundEvent, key: string, turn: Turn): Promise<InboundEvent> {
    const memory = this.options.keyboards;
    if (!memory || event.kind !== "text" || event.chatType !== "private" || this.currentStep(turn)) return event;
    const last = await memory.recall(key);
    if (!last || this.options.services.clock.now().getTime() - last.sentAt.getTime() > KEYBOARD_MAX_AGE_MS) return event;
    if (last.buttons.some((b) => b.payload.startsWith(CHOICE_PREFIX))) return event;
    // "hủy", "thôi", "quay lại" leave or go back, as in a step: never a press of "Hủy cuộc họp".
    if (typedForms(event.text).some((t) => NAV_WORDS.cancel.includes(t) || NAV_WORDS.back.includes(t))) return event;
    // Ids nobody types (matchChoice also compares ids): only numbers and labels match.
    const choices: Choice[] = last.buttons.map((b, i) => ({ id: `\u0000${i}`, label: { text: b.label } }));
    const { translator } = this.options;
    const choice = matchChoice(event.text, choices, translator) ?? matchChoiceWords(event.text, choices, translator);
    const pressed = choice && last.buttons[Number(choice.id.slice(1))];
    if (!pressed) return event;
    const { text: _text, ...rest } = event;
    return { ...rest, kind: "button", payload: pressed.payload };
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
    turn.trail = stored.trail ?? [];
    if (stored.answeredRef) turn.answeredRef = stored.answeredRef;
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
    if (event.payload === SETTLED_PAYLOAD) return void (turn.silent = true);
    if (event.payload.startsWith(CHOICE_PREFIX)) return this.onChoiceButton(event, person, turn);
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

  /**
   * A button of a step. A second tap on a keyboard already answered is silent; a button of a
   * flow that has ended loses its keyboard silently; an old button while another step is open
   * loses its keyboard and the current question is asked again.
   */
  private async onChoiceButton(event: Extract<InboundEvent, { kind: "button" }>, person: Person, turn: Turn): Promise<void> {
    const step = this.currentStep(turn);
    const id = event.payload.slice(CHOICE_PREFIX.length);
    const ref = event.messageRef;
    if (ref && ref === turn.answeredRef) return void (turn.silent = true);
    if (!step) {
      if (ref) turn.settle = { ref };
      else if (turn.says.length === 0) turn.silent = true; // nothing to say (a flow that changed shape says so)
      return;
    }
    const ctx = this.context(event, person, turn);
    const nav = (Object.keys(NAV_CHOICES) as (keyof typeof NAV_CHOICES)[]).find((k) => NAV_CHOICES[k] === id);
    if (nav && this.navigations(step, turn).includes(nav)) {
      if (ref) Object.assign(turn, { settle: { ref, chosen: { key: `common-nav-${nav}` } }, answeredRef: ref });
      return this.navigate(nav, step, event, person, turn);
    }
    if (step.kind === "choice") {
      const choice = (await this.choicesOf(step, ctx)).find((c) => c.id === id);
      if (choice) {
        if (ref) Object.assign(turn, { settle: { ref, chosen: choice.label }, answeredRef: ref });
        return this.apply(await step.onAnswer(id, ctx), event, person, turn);
      }
    }
    if (ref) turn.settle = { ref };
    turn.says.push(say("common-stale-button"));
    return this.promptAgain(event, person, turn);
  }

  /** The navigation buttons a step shows, in order. */
  private navigations(step: Step<FlowData, string>, turn: Turn): (keyof typeof NAV_CHOICES)[] {
    return [...(turn.trail.length > 0 ? ["back" as const] : []), ...(step.skip ? ["skip" as const] : []), ...(step.cancel === false ? [] : ["cancel" as const])];
  }

  /** A typed navigation word the step accepts ("quay lai", "huy", "bo qua"). */
  private typedNavigation(text: string, step: Step<FlowData, string>, turn: Turn): keyof typeof NAV_CHOICES | undefined {
    const typed = typedForms(text);
    const allowed = this.navigations(step, turn);
    if (!allowed.includes("cancel")) allowed.push("cancel"); // "hủy" always leaves a flow, as /huy does
    return allowed.find((k) => typed.some((t) => NAV_WORDS[k].includes(t)));
  }

  private async navigate(nav: keyof typeof NAV_CHOICES, step: Step<FlowData, string>, event: InboundEvent, person: Person, turn: Turn): Promise<void> {
    if (nav === "cancel") return this.apply({ type: "end", say: [say("common-cancelled")] }, event, person, turn);
    if (nav === "skip") return this.apply(await step.skip!(this.context(event, person, turn)), event, person, turn);
    const back = turn.trail.pop()!;
    turn.state = { ...turn.state!, step: back.step, data: back.data, updatedAt: this.options.services.clock.now() };
    return this.promptAgain(event, person, turn);
  }

  private async onText(event: Extract<InboundEvent, { kind: "text" }>, person: Person, turn: Turn): Promise<void> {
    const step = this.currentStep(turn);
    if (!step) return this.startFlow(this.options.idleFlowId, event.text, event, person, turn);
    const ctx = this.context(event, person, turn);
    const choices = step.kind === "choice" ? await this.choicesOf(step, ctx) : [];
    const exact = matchChoice(event.text, choices, this.options.translator);
    const nav = exact ? undefined : this.typedNavigation(event.text, step, turn);
    if (nav) return this.navigate(nav, step, event, person, turn);
    const choice = exact ?? matchChoiceWords(event.text, choices, this.options.translator);
    if (step.kind === "text") {
      const text = event.text.trim();
      if (text.length === 0) return this.apply({ type: "reprompt", say: [say("common-empty-answer")] }, event, person, turn);
      if (step.maxLength && [...text].length > step.maxLength)
        return this.apply({ type: "reprompt", say: [say("common-too-long", { max: step.maxLength, length: [...text].length })] }, event, person, turn);
      return this.apply(await step.onAnswer(text, ctx), event, person, turn);
    }
    if (!choice) return this.apply((await step.onOtherText?.(event.text, ctx)) ?? { type: "reprompt", say: [say("common-choose-one")] }, event, person, turn);
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
    turn.trail = [];
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
        this.walk(turn, t.step);
        turn.state = { flowId: flow.id, flowVersion: flow.version, step: t.step, data: t.data, updatedAt: this.options.services.clock.now() };
        turn.says.push(await this.promptOf(flow.steps[t.step]!, this.context(event, person, turn), turn));
      }
    }
  }

  /**
   * Keeps the trail behind the step about to be shown: going to a step already behind (a menu
   * after its action, "retype" after a confirmation) forgets everything after it.
   */
  private walk(turn: Turn, next: string): void {
    const at = turn.trail.findIndex((e) => e.step === next);
    if (at >= 0) turn.trail = turn.trail.slice(0, at);
    else if (turn.state?.step && turn.state.step !== next) turn.trail.push({ step: turn.state.step, data: turn.state.data });
  }

  private async promptAgain(event: InboundEvent, person: Person, turn: Turn): Promise<void> {
    const step = this.currentStep(turn);
    if (step) turn.says.push(await this.promptOf(step, this.context(event, person, turn), turn));
  }

  private currentStep(turn: Turn): Step<FlowData, string> | undefined {
    return turn.flow && turn.state?.step ? turn.flow.steps[turn.state.step] : undefined;
  }

  private async promptOf(step: Step<FlowData, string>, ctx: FlowContext, turn: Turn): Promise<Say> {
    const prompt = typeof step.prompt === "function" ? await step.prompt(ctx) : step.prompt;
    const rows: SayButton[][] = [];
    if (step.kind === "choice") {
      const buttons: SayButton[] = (await this.choicesOf(step, ctx)).map((c) => ({ ...c.label, payload: c.payload ?? CHOICE_PREFIX + c.id }));
      const perRow = step.perRow ?? 2;
      for (let i = 0; i < buttons.length; i += perRow) rows.push(buttons.slice(i, i + perRow));
    }
    const nav = this.navigations(step, turn).map((k): SayButton => ({ key: `common-nav-${k}`, payload: CHOICE_PREFIX + NAV_CHOICES[k] }));
    if (nav.length) rows.push(nav);
    return rows.length ? { ...prompt, buttons: [...(prompt.buttons ?? []), ...rows] } : prompt;
  }

  private async choicesOf(step: Extract<Step<FlowData, string>, { kind: "choice" }>, ctx: FlowContext): Promise<Choice[]> {
    return typeof step.choices === "function" ? step.choices(ctx) : step.choices;
  }

  private context(event: InboundEvent, person: Person, turn: Turn): FlowContext {
    return { data: turn.state?.data ?? {}, person, services: this.options.services, event, now: this.options.services.clock.now() };
  }

  /**
   * Renders the turn's messages. `inPlace` ones edit the message whose button was pressed; when
   * none did, that message's keyboard is settled first: replaced by "✓ <the choice made>", or
   * removed when the button no longer applies.
   */
  private reply(person: Person, says: Say[], flowId?: string, step?: string, event?: InboundEvent, settle?: Turn["settle"]): HandleResult {
    const { translator } = this.options;
    // The form of address is decided here once: every message knows who reads it (`$reader`, `$title`).
    const reader = readerOf(person.roles);
    const ref = event?.kind === "button" ? event.messageRef : undefined;
    let edited = false;
    const outbound: Outbound[] = says.map((s) => {
      const o = translator.render(person.locale, s, reader, person.timeZone);
      if (!s.inPlace || !ref || edited) return o;
      edited = true;
      return { ...o, editRef: ref };
    });
    if (settle && !edited) {
      const label = settle.chosen && ("text" in settle.chosen ? settle.chosen.text : translator.t(person.locale, settle.chosen.key, settle.chosen.args, reader, person.timeZone));
      outbound.unshift({ kind: "keyboard", messageRef: settle.ref, buttons: label ? [[{ label: `✓ ${label}`, payload: SETTLED_PAYLOAD }]] : [] });
    }
    return { status: "handled", outbound, flowId, step };
  }
}

/**
 * Matches a typed answer to a choice: by number ("2"), by label in either language or by an
 * alias, all without diacritics or case ("dong y", "Đồng ý", "ĐỒNG Ý"). A label's leading
 * emoji or mark is not typed: "soan thong bao moi" is "✍️ Soạn thông báo mới".
 */
export function matchChoice(input: string, choices: Choice[], translator: Translator): Choice | undefined {
  const forms = typedForms(input);
  if (/^\d+$/.test(forms[0]!)) return choices[Number(forms[0]) - 1];
  const asTyped = (label: string) => foldText(label).replace(/^[^\p{L}\p{N}]+/u, "");
  return forms.map((typed) =>
    choices.find((c) => c.id === typed || labelsOf(c, translator).some((l) => asTyped(l) === typed) || (c.aliases ?? []).includes(typed)),
  ).find(Boolean);
}

/**
 * A typed answer folded, without closing punctuation; then, when it ends with a politeness
 * particle ("Đồng ý ạ", "Thôi nhé"), also without it (tried second: "Phương án A" stays whole).
 */
function typedForms(input: string): string[] {
  const typed = foldText(input).replace(/[.!?,;:]+$/g, "");
  const bare = typed.replace(/ (?:a|nhe|nha|a nhe|nhe a)$/, "");
  return bare !== typed && bare.length > 0 ? [typed, bare] : [typed];
}

/**
 * Matches a typed answer that is a run of whole words of exactly one choice's label, without
 * diacritics or case: "dau nam hoc" is "Họp phụ huynh đầu năm học", "xoa du lieu" is "Xóa dữ
 * liệu của tôi". Words shared by several labels ("hop") match none. Tried after the exact
 * match and the navigation words ("huy" cancels rather than picking "Hủy bản nháp").
 */
export function matchChoiceWords(input: string, choices: Choice[], translator: Translator): Choice | undefined {
  for (const form of typedForms(input)) {
    const typed = wordsOf(form);
    if (typed.join(" ").length < 3 || typed.every((w) => /^\d+$/.test(w))) continue;
    const found = choices.filter((c) => labelsOf(c, translator).some((l) => containsRun(wordsOf(l), typed)));
    if (found.length === 1) return found[0];
  }
  return undefined;
}

function labelsOf(c: Choice, translator: Translator): string[] {
  const label = c.label;
  return "text" in label ? [label.text] : (["vi", "en"] as const).map((l) => translator.t(l, label.key, label.args));
}

const wordsOf = (text: string): string[] => foldText(text).split(/[^\p{L}\p{N}]+/u).filter(Boolean);

function containsRun(words: string[], run: string[]): boolean {
  for (let i = 0; i + run.length <= words.length; i++) if (run.every((w, j) => words[i + j] === w)) return true;
  return false;
}
