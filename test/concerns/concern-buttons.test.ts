import { describe, it, expect } from "vitest";
import { ticketButtons } from "../../src/features/concerns/port.js";
import { viewSays } from "../../flows/concern.js";
import type { ConcernView } from "../../src/features/concerns/port.js";

const keys = (rows: { payload: string }[][]) => rows.flat().map((b) => b.payload.split("-")[1]);

describe("a button that cannot apply is not shown", () => {
  it("the principal gets no «Giao lại GVCN» under a concern about the teacher; under others the button stays", () => {
    expect(keys(ticketButtons("t1", "principal", { urgent: false, status: "escalated", category: "teacher" }))).toEqual(["ack", "rep", "res"]);
    expect(keys(ticketButtons("t1", "principal", { urgent: false, status: "escalated", category: "study" }))).toEqual(["ack", "rep", "res", "back"]);
  });

  it("the ticket view the principal opens follows the same rule", () => {
    const view = { id: "t1", number: 1, studentName: "An", className: "6A1", category: "teacher", status: "escalated", urgent: false, createdAt: new Date(), viewer: "principal", messages: [], confirmed: false } as unknown as ConcernView;
    const buttons = viewSays(view).at(-1)!.buttons!;
    expect(buttons.flat().some((b) => "key" in b && b.key === "concern-btn-handback")).toBe(false);
  });
});
