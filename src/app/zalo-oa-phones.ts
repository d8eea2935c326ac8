/**
 * The guardians' consented phone numbers for ZBS templates by phone (reference §3, §6.7): the
 * `request_user_info` card that asks for it (with its purpose), the consent stored from the
 * `user_submit_info` answer (sealed with the token key, bound to the identity; `0…` → `84…`),
 * the number for the route decision, and its masked form for `/quyenriengtu`. The number is
 * never logged and never put in a job payload: the outbox's job holds the delivery id only and
 * the router reads the number here when it needs it.
 */
import { addressKey, type Address } from "../engine/messages.js";
import type { TokenCipher } from "../channels/zalo-oa/token-cipher.js";
import { normalisePhone } from "../channels/zalo-oa/client.js";
import type { ZaloOaPhoneRepository } from "../store/zalo-oa-phones.js";

/** What the number may be used for (kept with each consent). */
export const PHONE_PURPOSE = "zbs-template-outside-window";

/** The card's texts, in the guardian's language. */
export interface PhoneCardText { title: string; subtitle: string }

export interface OaPhoneBook {
  /** Stores a phone the guardian submitted (false when it is not a Vietnamese mobile number). */
  consent(input: { identityId: string; address: Address; phone: string; at: Date; cardText: string }): Promise<boolean>;
  /** The newest consented number ("84…"), for the router only. */
  phoneOf(identityId: string): Promise<string | undefined>;
  /** "••••5678" for `/quyenriengtu`. */
  masked(identityId: string): Promise<string | undefined>;
  /** True once per identity: show the card now. */
  decideAsk(identityId: string, address: Address, at: Date): Promise<boolean>;
  repo: ZaloOaPhoneRepository;
}

const context = (identityId: string) => `phone:${identityId}`;

/** "84" + 9 or 10 digits after normalising "0…" / "+84…" (what ZBS by phone accepts). */
export function consentablePhone(raw: string): string | undefined {
  const phone = normalisePhone(raw);
  return /^84\d{9,10}$/.test(phone) ? phone : undefined;
}

export function createOaPhoneBook(repo: ZaloOaPhoneRepository, cipher: TokenCipher): OaPhoneBook {
  const phoneOf = async (identityId: string) => {
    const latest = await repo.latest(identityId);
    return latest ? cipher.open(latest.phoneSealed, context(identityId)) : undefined;
  };
  return {
    repo, phoneOf,
    async consent({ identityId, address, phone, at, cardText }) {
      const normal = consentablePhone(phone);
      if (!normal) return false;
      await repo.record({
        identityId, oaId: address.account, userId: address.userId, chatKey: addressKey(address),
        phoneSealed: cipher.seal(normal, context(identityId)), consent: { at, purpose: PHONE_PURPOSE, text: cardText },
      });
      return true;
    },
    async masked(identityId) {
      const phone = await phoneOf(identityId);
      return phone ? `••••${phone.slice(-4)}` : undefined;
    },
    decideAsk: (identityId, address, at) => repo.decideAsk(identityId, addressKey(address), at),
  };
}
