/**
 * One person on several messengers (`/kenh`): pairing by a one-time code proven by possession
 * (asked on messenger A, sent on messenger B), the messenger that gets the person's messages,
 * and unpairing. A code is used once (a fact with a unique key); an identity joins a person
 * once (its `PersonLink`, unique on the identity); the joined identity gets the person's grants
 * by the idempotent inserts of invite codes, so a retry after a failure halfway finishes.
 */
import { createHash, randomBytes } from "node:crypto";
import type { Address } from "../../engine/messages.js";
import type { Clock } from "../../engine/ports.js";
import type { Models } from "../../store/models.js";
import type { InviteRepo } from "../../store/invites.js";
import { findIdentity } from "../../store/directory.js";
import {
  choosePreferred, claimPairingCode, findPairingCode, isPairingCodeUsed, joinPerson, leavePerson, membersOf, personLinksOf, personOf, preferredOf, recordPaired, savePairingCode, shareGrants,
} from "../../store/people.js";
import type { ChannelStatus, PairInput, PairResult, PairingCheck } from "./port.js";

export interface ChannelsDeps {
  models: Models;
  invites: Pick<InviteRepo, "ensureIdentity" | "deleteIdentity" | "recordConsent">;
  clock: Clock;
}

/** How long a pairing code is valid. */
export const PAIRING_CODE_TTL_MS = 15 * 60_000;
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** "KN-7M2Q9X": six Crockford symbols (30 bits) behind a prefix that no invite code has; wrong tries are throttled per chat. */
export function generatePairingCode(random: (n: number) => Uint8Array = randomBytes): string {
  return `KN-${[...random(6)].map((b) => ALPHABET[b & 31]).join("")}`;
}

/** What a person typed, as a pairing code ("kn 7m2q9x", "KN-7M2Q9X"), or undefined. */
export function normalizePairingCode(input: string): string | undefined {
  const folded = input.toUpperCase().replace(/[\s\-_.]/g, "").replace(/O/g, "0").replace(/[IL]/g, "1");
  const m = /^KN([0-9A-HJKMNP-TV-Z]{6})$/.exec(folded);
  return m ? `KN-${m[1]}` : undefined;
}

const hashOf = (code: string) => createHash("sha256").update(code).digest("hex");

/** The person's messengers as the person at `address` sees them. */
export async function channelStatus(deps: ChannelsDeps, address: Address): Promise<ChannelStatus> {
  const me = await findIdentity(deps.models, address);
  if (!me) return { status: "not-linked" };
  const personId = await personOf(deps.models, me._id);
  const members = await membersOf(deps.models, personId, me._id);
  const chosen = (await preferredOf(deps.models, [personId])).get(personId);
  const reachable = members.filter((m) => m.reachable);
  const preferred = reachable.find((m) => m.identityId === chosen) ?? reachable.at(-1);
  return {
    status: "ok",
    channels: members.map((m) => ({ identityId: m.identityId, channel: m.channel, current: m.identityId === me._id, preferred: m.identityId === preferred?.identityId, reachable: m.reachable })),
  };
}

/** A fresh pairing code for the person at `address` (undefined: not linked). */
export async function issuePairingCode(deps: ChannelsDeps, address: Address): Promise<{ code: string; expiresAt: Date } | undefined> {
  const me = await findIdentity(deps.models, address);
  if (!me) return undefined;
  const code = generatePairingCode();
  const now = deps.clock.now();
  const expiresAt = new Date(now.getTime() + PAIRING_CODE_TTL_MS);
  await savePairingCode(deps.models, { hash: hashOf(code), identityId: me._id, personId: await personOf(deps.models, me._id), createdAt: now, expiresAt });
  return { code, expiresAt };
}

/** Whether a code may pair the person at `address` (nothing is used or stored). */
export async function checkPairingCode(deps: ChannelsDeps, code: string, address: Address): Promise<PairingCheck> {
  const found = await findPairingCode(deps.models, hashOf(code));
  if (!found || found.expiresAt <= deps.clock.now()) return "invalid";
  if (await isPairingCodeUsed(deps.models, found.hash)) return "invalid";
  const me = await findIdentity(deps.models, address);
  return me ? pairedState(deps, me._id, found.identityId) : "ok";
}

/** Whether `identityId` may join the person of `issuerId`. */
async function pairedState(deps: ChannelsDeps, identityId: string, issuerId: string): Promise<PairingCheck> {
  if (identityId === issuerId) return "same-messenger";
  const mine = (await personLinksOf(deps.models, [identityId])).get(identityId);
  if (!mine) return "ok";
  return mine.personId === (await personOf(deps.models, issuerId)) ? "already-paired" : "paired-elsewhere";
}

/**
 * Pairs the messenger at `input.address` with the person who asked for the code: the code's
 * use is decided once (a retry by the same identity finishes its own pairing), then the issuer
 * and this identity join the person (once per identity) and share their grants.
 */
export async function pairWithCode(deps: ChannelsDeps, input: PairInput): Promise<PairResult> {
  const code = await findPairingCode(deps.models, hashOf(input.code));
  const now = deps.clock.now();
  if (!code || code.expiresAt <= now) return { status: "invalid" };
  const { identityId, created } = await deps.invites.ensureIdentity(input.address, input.displayName ?? "", input.locale);
  const refuse = async (status: "invalid" | "same-messenger" | "already-paired" | "paired-elsewhere"): Promise<PairResult> => {
    if (created) await deps.invites.deleteIdentity(identityId);
    return { status };
  };
  const state = await pairedState(deps, identityId, code.identityId);
  if (state !== "ok") return refuse(state);
  const personId = await personOf(deps.models, code.identityId);
  const claim = await claimPairingCode(deps.models, code.hash, now, identityId);
  if (!claim.won && JSON.parse(claim.fact.data).identityId !== identityId) return refuse("invalid");
  if (input.consentVersion) await deps.invites.recordConsent(`pairing:${code.hash}`, identityId, input.consentVersion, now);
  // The issuer joins first, just before the joiner: by default the messenger linked last gets the messages.
  const issuer = await joinPerson(deps.models, code.identityId, personId, new Date(now.getTime() - 1));
  const joined = await joinPerson(deps.models, identityId, issuer.fact.personId, now, code.hash);
  if (joined.fact.personId !== issuer.fact.personId) return { status: "paired-elsewhere" };
  const members = await membersOf(deps.models, issuer.fact.personId, identityId);
  await shareGrants(deps.models, members.map((m) => m.identityId));
  await recordPaired(deps.models, code.hash, identityId, issuer.fact.personId, now);
  return { status: "paired", channels: members.map((m) => m.channel) };
}

/** Chooses which of the person's messengers gets their messages; false when it is not theirs or unreachable. */
export async function chooseChannel(deps: ChannelsDeps, address: Address, identityId: string): Promise<boolean> {
  const me = await findIdentity(deps.models, address);
  if (!me) return false;
  const personId = await personOf(deps.models, me._id);
  const target = (await membersOf(deps.models, personId, me._id)).find((m) => m.identityId === identityId);
  if (!target || !target.reachable) return false;
  await choosePreferred(deps.models, personId, identityId, deps.clock.now());
  return true;
}

/** Unpairs the messenger at `address` from the person's others (its own links stay). */
export async function unpairChannel(deps: ChannelsDeps, address: Address): Promise<"unpaired" | "not-paired"> {
  const me = await findIdentity(deps.models, address);
  if (!me) return "not-paired";
  return (await leavePerson(deps.models, me._id)).removed > 0 ? "unpaired" : "not-paired";
}

/** Gives every identity of the person at `identityId` the grants any of them holds (after an invite code was redeemed on one). */
export async function shareWithPerson(models: Models, identityId: string): Promise<void> {
  const personId = await personOf(models, identityId);
  if (personId === identityId && !(await models.PersonLink.exists({ _id: identityId }))) return;
  await shareGrants(models, (await membersOf(models, personId, identityId)).map((m) => m.identityId));
}
