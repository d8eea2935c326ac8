/**
 * The concern feature's messages and how they are sent: through the outbox, one group per
 * ticket (`pa-<ticket>`), with deterministic keys (`pa-<ticket>-<tag>-<identity>`) so an
 * attempt run twice sends once; each recipient's quiet hours decide when (`sendTimes`).
 * Staff never see the guardian's name, handle or phone: households are "phụ huynh em <student>".
 */
import type { OutboxItem } from "../../engine/ports.js";
import { dateArg, say, type Say } from "../../engine/say.js";
import { addressesOf } from "../../store/audience.js";
import { givenName, titleCode, type Reader } from "../../domain/address.js";
import { sendTimes, studentAndClass, type ConcernDeps, type Ticket } from "./context.js";
import { ticketButtons, type ConcernViewer } from "./port.js";

export type TicketMessageKey = "concern-to-staff" | "concern-escalated-to-principal" | "concern-handed-back-teacher" | "concern-reopened-staff";

/** The guardian's first message (text and photo) of a ticket. */
async function firstText(deps: ConcernDeps, t: Ticket) {
  const m = await deps.concerns.ConcernMessage.findOne({ concernId: t._id }).sort({ at: 1 }).lean();
  return { text: m?.text ?? "", photoRef: m?.photoRef ?? "" };
}

/** A ticket as staff see it (with its photo), under `key`, with the buttons of `viewer`. */
export async function ticketSays(deps: ConcernDeps, t: Ticket, key: TicketMessageKey, viewer: ConcernViewer, extra: Record<string, string | number> = {}): Promise<Say[]> {
  const { studentName, className } = await studentAndClass(deps, t);
  const { text, photoRef } = await firstText(deps, t);
  const main = say(key, {
    number: t.number, student: studentName, className, category: t.category, text, urgent: t.urgent ? "yes" : "no",
    respondBy: dateArg(new Date(t.firstResponseDueAt ?? t.createdAt)), ...extra,
  }, ticketButtons(t._id, viewer, { urgent: t.urgent, status: t.status, category: t.category }));
  return photoRef ? [main, { ...say("concern-photo", { number: t.number }), file: { media: "photo", fileRef: photoRef } }] : [main];
}

/** Enqueues `items` as one outbox group (nothing when empty). */
export async function send(deps: ConcernDeps, group: string, items: OutboxItem[]): Promise<void> {
  if (items.length > 0) await deps.outbox.enqueueGroup(group, items);
}

/**
 * How each staff identity is addressed: their recorded title ("thay" | "co" | "none") and the
 * given name that goes with it, so a message sent through the outbox addresses them as the
 * engine would ("Cô", not "Thầy/Cô"; English "Ms Lan").
 */
export async function staffTitles(deps: Pick<ConcernDeps, "models">, identityIds: string[]): Promise<Map<string, StaffAddress>> {
  const roles = await deps.models.StaffRole.find({ identityId: { $in: identityIds } }).lean();
  const staff = new Map((await deps.models.Staff.find({ _id: { $in: roles.map((r) => r.staffId) } }).lean()).map((s) => [s._id, s]));
  const out = new Map<string, StaffAddress>();
  for (const r of roles) {
    if ((out.get(r.identityId)?.title ?? "none") !== "none") continue;
    const s = staff.get(r.staffId);
    const title = titleCode(s?.title);
    out.set(r.identityId, { title, readerName: title !== "none" && s ? givenName(s.fullName) : "" });
  }
  return out;
}

/** A staff recipient's `$title` and `$readerName` (see `Reader` in src/domain/address.ts). */
export type StaffAddress = Pick<Reader, "title" | "readerName">;

/** `messages` addressed to a staff member by `address` (their title and given name). */
export const addressedTo = (messages: Say[], address: StaffAddress | undefined): Say[] =>
  messages.map((m) => ({ ...m, args: { ...m.args, title: address?.title ?? "none", readerName: address?.readerName ?? "" } }));

/**
 * Sends `messages` about ticket `t` to the reachable ones of `identityIds` (staff, or the
 * guardian), each when their quiet hours allow; returns how many were reachable.
 */
export async function tell(deps: ConcernDeps, t: Ticket, tag: string, to: "staff" | "guardian", identityIds: string[], messages: Say[]): Promise<number> {
  const people = await addressesOf(deps.models, identityIds);
  const when = await sendTimes(deps, t, to, people.map((p) => p.identityId));
  const titles = to === "staff" ? await staffTitles(deps, people.map((p) => p.identityId)) : undefined;
  await send(deps, `pa-${t._id}`, people.map((p) => ({
    key: `pa-${t._id}-${tag}-${p.identityId}`, recipient: p.address,
    messages: titles ? addressedTo(messages, titles.get(p.identityId)) : messages, ...when(p.identityId),
  })));
  return people.length;
}

/** Sends to the ticket's guardian (held in the school's nightly window unless urgent). */
export function tellGuardian(deps: ConcernDeps, t: Ticket, tag: string, messages: Say[]): Promise<number> {
  return tell(deps, t, tag, "guardian", [t.guardianIdentityId], messages);
}
