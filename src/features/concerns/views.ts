/**
 * What each reader may see: a guardian their own tickets, a teacher the open tickets of their
 * classes, Ban giám hiệu the escalated, urgent and about-a-teacher ones (`viewerOf`).
 */
import { forActor, summaryOf, viewerOf, type ConcernDeps, type Ticket } from "./context.js";
import type { ConcernActor, ConcernSummary, ConcernView } from "./port.js";

/** The guardian's own tickets, newest first. */
export async function listForGuardian(deps: ConcernDeps, actor: ConcernActor): Promise<ConcernSummary[]> {
  const ts = (await deps.concerns.Concern.find({ guardianIdentityId: actor.identityId }).sort({ createdAt: -1 }).limit(20).lean()) as Ticket[];
  return Promise.all(ts.map((t) => summaryOf(deps, t)));
}

/** Open tickets the staff member handles, oldest first. */
export async function listForStaff(deps: ConcernDeps, actor: ConcernActor): Promise<ConcernSummary[]> {
  const classes = actor.roles.staff.filter((s) => s.role === "homeroom-teacher").map((s) => s.classGroupId);
  const schools = actor.roles.staff.filter((s) => s.role === "principal" || s.role === "vice-principal").map((s) => s.schoolId);
  const ts = (await deps.concerns.Concern.find({ status: { $ne: "resolved" }, $or: [{ classGroupId: { $in: classes } }, { schoolId: { $in: schools } }] })
    .sort({ createdAt: 1 }).lean()) as Ticket[];
  return Promise.all(ts.filter((t) => viewerOf(actor, t) && viewerOf(actor, t) !== "guardian").map((t) => summaryOf(deps, t)));
}

/** One ticket with its messages, for whoever may see it. */
export async function view(deps: ConcernDeps, actor: ConcernActor, id: string): Promise<ConcernView | undefined> {
  const { t, viewer } = await forActor(deps, actor, id, ["guardian", "teacher", "principal"]);
  if (!t || !viewer) return undefined;
  const msgs = await deps.concerns.ConcernMessage.find({ concernId: id }).sort({ at: 1, _id: 1 }).lean();
  return {
    ...(await summaryOf(deps, t)), viewer, rating: t.rating || undefined, confirmed: Boolean(t.confirmedAt),
    messages: msgs.map((m) => ({ from: m.from as "guardian", text: m.text ?? "", at: new Date(m.at), hasPhoto: Boolean(m.photoRef) })),
  };
}
