/** An in-memory `ConcernsPort` for flow unit tests: records what the flows asked for. */
import type {
  ConcernActor, ConcernSummary, ConcernView, ConcernsPort, CreateConcernResult, NewConcern, QuietHoursChange, StaffQuietHours,
} from "../../../src/features/concerns/port.js";
import { DEFAULT_QUIET, isNightWindow } from "../../../src/domain/school-clock.js";

export class FakeConcerns implements ConcernsPort {
  readonly created: { actor: ConcernActor; input: NewConcern; eventId: string }[] = [];
  readonly messages: { id: string; text: string }[] = [];
  /** What `create` answers with besides the ticket (quiet hours, urgency). */
  next: { deliverAt?: Date; urgent?: boolean } = {};
  tickets: ConcernSummary[] = [];

  async create(actor: ConcernActor, input: NewConcern, eventId: string): Promise<CreateConcernResult> {
    if (!actor.roles.guardianOf.some((g) => g.studentId === input.studentId)) return { status: "forbidden" };
    this.created.push({ actor, input, eventId });
    const ticket: ConcernSummary = { id: "tabc123456", number: `PA-${String(41 + this.created.length).padStart(4, "0")}`, category: input.category, status: "sent",
      urgent: this.next.urgent ?? false, studentName: "Nguyễn Văn An", className: "6A1", createdAt: new Date("2026-09-14T02:00:00Z") };
    this.tickets.push(ticket);
    return { status: "created", ticket, respondBy: new Date("2026-09-15T08:00:00Z"), unassigned: false, ...(this.next.deliverAt ? { deliverAt: this.next.deliverAt } : {}) };
  }
  async listForGuardian() { return this.tickets; }
  async listForStaff() { return this.tickets; }
  async view(_a: ConcernActor, _id: string): Promise<ConcernView | undefined> { return undefined; }
  async addMessage(_a: ConcernActor, id: string, text: string) {
    this.messages.push({ id, text });
    return { status: "ok" as const, ticket: this.tickets[0]! };
  }
  async acknowledge() { return { status: "not-found" as const }; }
  async escalate() { return { status: "not-found" as const }; }
  async handBack() { return { status: "not-found" as const }; }
  async resolve() { return { status: "not-found" as const }; }
  async rate() { return { status: "not-found" as const }; }
  async reopen() { return { status: "not-found" as const }; }
  async reportIncident() { return { status: "not-found" as const }; }
  async stats() { return undefined; }
  /** Per identity, like the real one-document-per-person store. */
  readonly quiet = new Map<string, StaffQuietHours>();
  async myQuietHours(actor: ConcernActor) {
    if (actor.roles.staff.length === 0) return undefined;
    return this.quiet.get(actor.identityId) ?? { ...DEFAULT_QUIET, custom: false };
  }
  async setMyQuietHours(actor: ConcernActor, change: QuietHoursChange) {
    const current = await this.myQuietHours(actor);
    if (!current) return undefined;
    if (change === "default") {
      this.quiet.delete(actor.identityId);
      return this.myQuietHours(actor);
    }
    const next = { ...current, ...change, custom: true };
    if (!isNightWindow(next)) return "invalid" as const;
    this.quiet.set(actor.identityId, next);
    return next;
  }
}
