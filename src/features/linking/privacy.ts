/** A person's access to and erasure of their data (Law 91/2025): `/quyenriengtu`, `/xoadulieu`. */
import { addressKey, type Address } from "../../engine/messages.js";
import { pickLocale } from "../../i18n/fluent.js";
import type { Eraser, PersonRecords } from "../../store/privacy.js";
import { holderOf } from "./codes.js";
import type { PrivacyReport } from "./port.js";

export interface PrivacyDeps {
  records: PersonRecords;
  /** Each feature's deletion of its own collections. */
  erasers: Eraser[];
  /** A phone number the person agreed to share with the school's Zalo OA, masked ("••••5678"). */
  sharedPhone?: (identityId: string) => Promise<string | undefined>;
}

/** What is stored about the person at this address; undefined when nothing is. */
export async function privacyReport(deps: PrivacyDeps, address: Address): Promise<PrivacyReport | undefined> {
  const identity = await deps.records.identityOf(address);
  if (!identity) return undefined;
  const [roles, consent, sharedPhone, paired] = await Promise.all([deps.records.rolesOf(identity.id), deps.records.latestConsent(identity.id), deps.sharedPhone?.(identity.id), deps.records.pairedChannels(identity.id)]);
  const schools = await deps.records.schoolNames([...new Set([...roles.guardianOf, ...roles.staff, ...roles.board].map((r) => r.schoolId))]);
  return {
    channel: identity.channel,
    displayName: identity.displayName || undefined,
    locale: pickLocale(identity.locale),
    consentedAt: consent?.at,
    consentVersion: consent?.version,
    ...(sharedPhone ? { sharedPhone } : {}),
    pairedChannels: paired.map((p) => p.channel),
    students: roles.guardianOf.map((g) => ({ name: g.studentName, className: g.className, schoolName: schools.get(g.schoolId) ?? "" })),
    roles: [
      ...roles.staff.map((s) => ({ roleKey: s.role, className: s.className || undefined, schoolName: schools.get(s.schoolId) ?? "" })),
      ...roles.board.map((b) => ({ roleKey: `board-${b.position}`, className: b.className || undefined, schoolName: schools.get(b.schoolId) ?? "" })),
    ],
  };
}

/**
 * Deletes everything about the person at this address: each feature's data first (it may need
 * the identity), then links, roles, consent, deliveries and the identity, then the chat's own
 * records. The `/xoadulieu` event itself is kept, without its text, so a redelivery of it is
 * still recognised as a duplicate.
 */
export async function forgetPerson(deps: PrivacyDeps, address: Address, eventId: string): Promise<{ deleted: Record<string, number>; otherChannels: string[] }> {
  const chatKey = addressKey(address);
  const identityId = (await deps.records.identityOf(address))?.id;
  // The person's other messengers stay (each is erased by /xoadulieu there): the answer says so.
  const otherChannels = identityId ? (await deps.records.pairedChannels(identityId)).filter((p) => p.identityId !== identityId).map((p) => p.channel) : [];
  const deleted: Record<string, number> = {};
  for (const erase of deps.erasers) Object.assign(deleted, await erase({ identityId, chatKey }));
  Object.assign(deleted, await deps.records.eraseIdentity(identityId, holderOf(address)));
  Object.assign(deleted, await deps.records.eraseChat(chatKey, eventId));
  await deps.records.audit({ actor: "self", action: "data-erased", subject: identityId ? "erased" : "unlinked", details: { counts: deleted } });
  return { deleted, otherChannels };
}
