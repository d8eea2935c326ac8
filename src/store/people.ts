/**
 * One person across messengers: the repository behind `/kenh` (rules in
 * src/features/linking/channels.ts). A `ChannelIdentity` is one account on one messenger; a
 * person holding several pairs them with a one-time code. Each paired identity has one
 * `PersonLink` fact (`_id` = the identity, inserted once: the first join wins), naming its
 * person (the id of the identity that issued the first code). The messenger that gets the
 * person's messages is a versioned fact `channel-pref:<person>#v<n>`; without one, the
 * identity linked last. Grants (guardian links, staff roles, board memberships) are copied to
 * every identity of the person with the same idempotent inserts as invite codes, so each
 * identity's roles read as before.
 */
import type { Address } from "../engine/messages.js";
import { decideOnce, decideTransition, type Decision, type TransitionFact } from "./facts.js";
import { latestOf, latestOfMany } from "./versioned-facts.js";
import { insertOnce, type Models } from "./models.js";

const toAddress = (i: { channel: string; account: string; externalUserId: string; chatId: string }): Address =>
  ({ channel: i.channel as Address["channel"], account: i.account, userId: i.externalUserId, chatId: i.chatId });

/** The entity of a person's messenger preference. */
export const channelPrefEntity = (personId: string) => `channel-pref:${personId}`;
/** The fact that a pairing code was used. */
export const pairingUsedId = (codeHash: string) => `pairing:${codeHash}#used`;

export interface PersonMember {
  identityId: string;
  channel: string;
  address: Address;
  reachable: boolean;
  /** When this identity joined the person. */
  at: Date;
}

export interface PersonLinkFact {
  _id: string;
  personId: string;
  at: Date;
  /** The pairing code's hash ("" for the identity that issued it). */
  code: string;
}

/** The person of each paired identity (unpaired identities are absent). */
export async function personLinksOf(models: Models, identityIds: string[]): Promise<Map<string, PersonLinkFact>> {
  if (identityIds.length === 0) return new Map();
  const found = (await models.PersonLink.find({ _id: { $in: [...new Set(identityIds)] } }).lean()) as PersonLinkFact[];
  return new Map(found.map((f) => [f._id, f]));
}

/** The person of an identity: its own id when it is not paired. */
export async function personOf(models: Models, identityId: string): Promise<string> {
  return ((await models.PersonLink.findById(identityId).lean()) as PersonLinkFact | null)?.personId ?? identityId;
}

/** Each identity's person (itself when unpaired): to count or list people rather than messenger accounts. */
export async function personIdsOf(models: Models, identityIds: string[]): Promise<Map<string, string>> {
  const links = await personLinksOf(models, identityIds);
  return new Map(identityIds.map((id) => [id, links.get(id)?.personId ?? id]));
}

/** The identities of the same person as `identityId`, itself included. */
export async function samePersonAs(models: Models, identityId: string): Promise<string[]> {
  const link = (await models.PersonLink.findById(identityId).lean()) as PersonLinkFact | null;
  if (!link) return [identityId];
  return [...new Set([identityId, ...((await models.PersonLink.find({ personId: link.personId }).lean()) as PersonLinkFact[]).map((l) => l._id)])];
}

/** Every identity of a person with its address, oldest link first (one identity when unpaired). */
export async function membersOf(models: Models, personId: string, identityId = personId): Promise<PersonMember[]> {
  const links = (await models.PersonLink.find({ personId }).lean()) as PersonLinkFact[];
  const at = new Map(links.map((l) => [l._id, l.at]));
  if (at.size === 0) at.set(identityId, new Date(0));
  const identities = await models.ChannelIdentity.find({ _id: { $in: [...at.keys()] } }).lean();
  return identities
    .map((i) => ({ identityId: i._id, channel: i.channel, address: toAddress(i), reachable: i.reachable, at: at.get(i._id)! }))
    .sort((a, b) => a.at.getTime() - b.at.getTime() || (a.identityId < b.identityId ? -1 : 1));
}

/** The identity each person chose to get messages (persons without a choice are absent). */
export async function preferredOf(models: Models, personIds: string[]): Promise<Map<string, string>> {
  const latest = await latestOfMany<{ identityId: string }>(models, personIds.map(channelPrefEntity));
  const out = new Map<string, string>();
  for (const p of personIds) {
    const id = latest.get(channelPrefEntity(p))?.current?.identityId;
    if (id) out.set(p, id);
  }
  return out;
}

/** Records a person's choice as the next version of their preference; a concurrent choice at the same version is read and retried. */
export async function choosePreferred(models: Models, personId: string, identityId: string, at: Date): Promise<void> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const now = await latestOf<{ identityId: string }>(models, channelPrefEntity(personId));
    if (now.current?.identityId === identityId) return;
    const d = await decideTransition(models, { entity: channelPrefEntity(personId), slot: `v${now.version}`, kind: "preferred", at, data: { identityId } });
    if (d.won) return;
  }
  throw new Error("channel preference: too many concurrent choices");
}

/** Joins an identity to a person: decided once per identity (the loser gets the winner's fact). */
export function joinPerson(models: Models, identityId: string, personId: string, at: Date, code = ""): Promise<Decision<PersonLinkFact>> {
  return decideOnce<PersonLinkFact>(models.PersonLink, { _id: identityId, personId, at, code });
}

/** Unpairs an identity; a person left with one identity is a person of one again, and its preference is reset. */
export async function leavePerson(models: Models, identityId: string): Promise<{ personId?: string; removed: number }> {
  const link = (await models.PersonLink.findById(identityId).lean()) as PersonLinkFact | null;
  if (!link) return { removed: 0 };
  const removed = (await models.PersonLink.deleteOne({ _id: identityId })).deletedCount ?? 0;
  const rest = (await models.PersonLink.find({ personId: link.personId }).lean()) as PersonLinkFact[];
  if (rest.length === 1) await models.PersonLink.deleteOne({ _id: rest[0]!._id });
  await models.Transition.deleteMany({ entity: channelPrefEntity(link.personId) });
  // The person was named after this identity: the others keep being one person under another name.
  if (link.personId === identityId && rest.length > 1) {
    await models.PersonLink.updateMany({ personId: identityId }, { $set: { personId: rest[0]!._id } });
    await models.PairingCode.deleteMany({ personId: identityId });
  }
  return { personId: link.personId, removed };
}

export interface PairingCodeRecord {
  hash: string;
  identityId: string;
  personId: string;
  expiresAt: Date;
}

export async function savePairingCode(models: Models, code: PairingCodeRecord & { createdAt: Date }): Promise<void> {
  await models.PairingCode.create({ _id: code.hash, identityId: code.identityId, personId: code.personId, createdAt: code.createdAt, expiresAt: code.expiresAt });
}

export async function findPairingCode(models: Models, hash: string): Promise<PairingCodeRecord | undefined> {
  const d = await models.PairingCode.findById(hash).lean();
  return d ? { hash: d._id, identityId: d.identityId, personId: d.personId, expiresAt: d.expiresAt } : undefined;
}

/** Uses a pairing code: the first insert wins (it keeps the identity that used it, so that identity's retry finishes). */
export function claimPairingCode(models: Models, hash: string, at: Date, identityId: string): Promise<Decision<TransitionFact>> {
  return decideTransition(models, { entity: `pairing:${hash}`, slot: "used", kind: "used", at, data: { identityId } });
}

export async function isPairingCodeUsed(models: Models, hash: string): Promise<boolean> {
  return (await models.Transition.exists({ _id: pairingUsedId(hash) })) !== null;
}

/** The audit entry of a pairing (ids only; keyed by the code, so a retry writes it once). */
export async function recordPaired(models: Models, codeHash: string, identityId: string, personId: string, at: Date): Promise<void> {
  await insertOnce(() => models.AuditLog.create({ _id: `channel-paired#${codeHash}`, at, actor: identityId, action: "channel-paired", subject: personId }));
}


/**
 * Gives every identity of the list every grant any of them holds (guardian links, staff roles,
 * board memberships), with inserts a retry repeats harmlessly. Returns how many were added.
 */
export async function shareGrants(models: Models, identityIds: string[]): Promise<number> {
  if (identityIds.length < 2) return 0;
  const [links, roles, boards] = await Promise.all([
    models.GuardianLink.find({ identityId: { $in: identityIds } }).lean(),
    models.StaffRole.find({ identityId: { $in: identityIds } }).lean(),
    models.BoardMembership.find({ identityId: { $in: identityIds } }).lean(),
  ]);
  const creates: (() => Promise<unknown>)[] = [];
  for (const identityId of identityIds) {
    const linkKeys = new Set(links.map((l) => `${l.identityId}|${l.studentId}`));
    for (const l of links) {
      const key = `${identityId}|${l.studentId}`;
      if (linkKeys.has(key)) continue;
      linkKeys.add(key);
      creates.push(() => models.GuardianLink.create({ identityId, studentId: l.studentId, schoolId: l.schoolId }));
    }
    const roleKeys = new Set(roles.map((r) => `${r.identityId}|${r.schoolId}|${r.role}|${r.classGroupId ?? ""}`));
    for (const r of roles) {
      const key = `${identityId}|${r.schoolId}|${r.role}|${r.classGroupId ?? ""}`;
      if (roleKeys.has(key)) continue;
      roleKeys.add(key);
      creates.push(() => models.StaffRole.create({ identityId, staffId: r.staffId, schoolId: r.schoolId, role: r.role, classGroupId: r.classGroupId ?? "" }));
    }
    const boardKeys = new Set(boards.map((b) => `${b.identityId}|${b.schoolId}|${b.scope}|${b.classGroupId ?? ""}`));
    for (const b of boards) {
      const key = `${identityId}|${b.schoolId}|${b.scope}|${b.classGroupId ?? ""}`;
      if (boardKeys.has(key)) continue;
      boardKeys.add(key);
      creates.push(() => models.BoardMembership.create({ identityId, schoolId: b.schoolId, scope: b.scope, classGroupId: b.classGroupId ?? "", position: b.position, studentId: b.studentId ?? "", yearId: b.yearId ?? "" }));
    }
  }
  let added = 0;
  for (const c of creates) if (await insertOnce(c)) added++;
  return added;
}

/**
 * Erasure of one identity's pairing (`/xoadulieu`): its person link, the codes it asked for and
 * the one it joined with (with their use facts); the person's preference is reset. The person's
 * other messengers stay paired with each other.
 */
export async function erasePairing(models: Models, identityId: string): Promise<Record<string, number>> {
  const link = (await models.PersonLink.findById(identityId).lean()) as PersonLinkFact | null;
  const hashes = [...(await models.PairingCode.find({ identityId }).select({ _id: 1 }).lean()).map((c) => c._id), ...(link?.code ? [link.code] : [])];
  const { removed } = await leavePerson(models, identityId);
  let codes = 0;
  for (const hash of hashes) {
    codes += (await models.PairingCode.deleteOne({ _id: hash })).deletedCount ?? 0;
    await models.Transition.deleteOne({ _id: pairingUsedId(hash) });
  }
  return { personLinks: removed, pairingCodes: codes };
}

/** The messengers of the person of `identityId` (empty when not paired), oldest first. */
export async function pairedChannelsOf(models: Models, identityId: string): Promise<{ identityId: string; channel: string }[]> {
  const link = (await models.PersonLink.findById(identityId).lean()) as PersonLinkFact | null;
  if (!link) return [];
  return (await membersOf(models, link.personId, identityId)).map((m) => ({ identityId: m.identityId, channel: m.channel }));
}
