/**
 * The one way a ticket changes: read its facts, fold them, decide, and insert the next fact
 * `<ticket>#v<n+1>` (`decideTicketFact`). Whoever inserts that version first wins; a loser
 * re-reads and decides again on what happened (a resolve that lost to the clock's escalation
 * resolves the escalated ticket; a clock that lost to a resolve does nothing). On FerretDB
 * no update filter is a compare-and-set and `$inc` loses increments, so the status, the cycle
 * and every count come from the facts; the `concerns` document is the summary the winner
 * writes (`project`) and can always be rebuilt from them.
 */
import { ticketFacts, ticketVersion, writeTicketSummary, decideTicketFact } from "../../store/concern-tickets.js";
import { foldTicket, type Decided, type TicketFact, type TicketFactKind, type TicketState } from "./ticket-state.js";
import type { ConcernDeps, Ticket } from "./context.js";

export type TransitionOutcome =
  | { outcome: "won"; fact: TicketFact; before: TicketState; state: TicketState; ticket: Ticket }
  /** The attempt's `intent` had already been decided (a job run again): act on that fact again. */
  | { outcome: "repeat"; fact: TicketFact; state: TicketState; ticket: Ticket }
  | { outcome: "noop"; state: TicketState; ticket: Ticket }
  | { outcome: "refused"; reason: Extract<Decided, { refuse: string }>["refuse"]; state: TicketState; ticket: Ticket };

/** The facts of a ticket as the fold reads them. */
export async function readFacts(deps: Pick<ConcernDeps, "models">, ticketId: string): Promise<TicketFact[]> {
  return (await ticketFacts(deps.models, ticketId)).map((f) => ({
    version: f.version, kind: f.kind as TicketFactKind, actor: f.actor, at: new Date(f.at), data: JSON.parse(f.data || "{}") as TicketFact["data"],
  }));
}

/** The ticket document with its summary replaced by `state`. */
export const withState = (t: Ticket, s: TicketState): Ticket => ({ ...t, ...summaryFields(s) });

function summaryFields(s: TicketState) {
  const { escalatedThisCycle: _, ...fields } = s;
  return fields;
}

/**
 * Writes the summary of `state`, then makes sure no newer fact landed meanwhile (a slower
 * winner of an older version may write after a newer one): if one did, rebuilds from the facts.
 */
export async function project(deps: ConcernDeps, ticketId: string, state: TicketState): Promise<void> {
  let s = state;
  for (let i = 0; i < 10; i++) {
    await writeTicketSummary(deps.concerns, ticketId, summaryFields(s), deps.clock.now());
    if ((await ticketVersion(deps.models, ticketId)) <= s.version) return;
    s = foldTicket(await readFacts(deps, ticketId));
  }
}

/**
 * Decides one change of ticket `t`: `decide` sees the state folded from the facts and returns
 * the fact to insert, a no-op, or a refusal. With `intent`, an attempt that already won once
 * (a job re-run after a crash) gets its fact back as `repeat` instead of deciding again.
 */
export async function transition(deps: ConcernDeps, t: Ticket, actor: string, decide: (s: TicketState) => Decided, intent?: string): Promise<TransitionOutcome> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const facts = await readFacts(deps, t._id);
    const state = foldTicket(facts);
    const mine = intent ? facts.find((f) => f.data.intent === intent) : undefined;
    if (mine) return { outcome: "repeat", fact: mine, state, ticket: withState(t, state) };
    const d = decide(state);
    if ("noop" in d) return { outcome: "noop", state, ticket: withState(t, state) };
    if ("refuse" in d) return { outcome: "refused", reason: d.refuse, state, ticket: withState(t, state) };
    const fact: TicketFact = { version: state.version + 1, kind: d.kind, actor, at: deps.clock.now(), data: { ...d.data, ...(intent ? { intent } : {}) } };
    const won = await decideTicketFact(deps.models, t._id, fact.version, { kind: fact.kind, actor, at: fact.at, data: fact.data });
    if (!won.won) continue;
    const after = foldTicket([...facts, fact]);
    await project(deps, t._id, after);
    return { outcome: "won", fact, before: state, state: after, ticket: withState(t, after) };
  }
  throw new Error(`ticket ${t._id}: too many competing changes`);
}
