import { describe, it, expect } from "vitest";
import { foldTicket, type TicketFact, type TicketFactKind } from "../../src/features/concerns/ticket-state.js";

const at = (h: number) => new Date(Date.UTC(2026, 8, 14, h));
const facts = (...steps: [TicketFactKind, TicketFact["data"]?][]): TicketFact[] =>
  steps.map(([kind, data], i) => ({ version: i + 1, kind, actor: "x", at: at(2 + i), data: data ?? {} }));

describe("a ticket's state is the fold of its facts", () => {
  it("counts escalations, reopens and cycles from the facts, and the third reopen is an escalation", () => {
    const s = foldTicket(facts(
      ["created", { firstResponseDueAt: at(10).toISOString(), resolutionDueAt: at(20).toISOString() }],
      ["escalated", { reason: "first-response" }], ["handed-back", { resolutionDueAt: at(30).toISOString() }], ["resolved"],
      ["reopened", { to: "teacher" }], ["resolved"], ["rated", { stars: 4 }], ["reopened", { to: "principal" }],
    ));
    expect(s).toMatchObject({ version: 8, status: "escalated", cycle: 4, escalations: 2, reopens: 2, rating: 0, confirmedAt: null, resolvedAt: null, escalatedThisCycle: true });
    expect(s.resolutionDueAt).toEqual(at(30));
  });

  it("the first acknowledgement or reply sets the first response once; a reply keeps an escalated ticket with Ban giám hiệu", () => {
    const s = foldTicket(facts(["created"], ["escalated", { reason: "teacher" }], ["replied"], ["acknowledged"]));
    expect(s).toMatchObject({ status: "escalated", firstResponseAt: at(4) });
    expect(foldTicket(facts(["created"], ["acknowledged"], ["replied"]))).toMatchObject({ status: "in-progress", firstResponseAt: at(3) });
  });

  it("a ticket raised while nobody could receive it waits on that side until assigned", () => {
    const s = foldTicket(facts(["created", { awaitsTeacher: true, awaitsPrincipal: true }], ["assigned", { side: "teacher" }]));
    expect(s).toMatchObject({ awaitsTeacher: false, awaitsPrincipal: true });
  });
});
