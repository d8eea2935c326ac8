/**
 * The consented-phone store: sealed at rest and bound to the identity (a sealed value copied to
 * another identity does not open), 0… → 84…, numbers ZBS cannot use refused, the newest answer
 * wins, the card decided once under concurrent turns, and erasure by identity or by chat.
 */
import { describe, it, expect } from "vitest";
import { testConfig } from "../support/test-config.js";
import { useDatabase } from "../support/database.js";
import { expectOneWinner, race, RACE_WIDTH } from "../support/race.js";
import { createOaPhoneBook, consentablePhone } from "../../src/app/zalo-oa-phones.js";
import { createTokenCipher } from "../../src/channels/zalo-oa/token-cipher.js";
import { createZaloOaPhoneRepository } from "../../src/store/zalo-oa-phones.js";
import { addressKey } from "../../src/engine/messages.js";

describe("consented OA phones", () => {
  const config = testConfig("oa-phones");
  const db = useDatabase(config);
  const address = (userId: string) => ({ channel: "zalo-oa" as const, account: "oa1", userId, chatId: userId });

  it("normalises and refuses what ZBS by phone cannot use", () => {
    expect(consentablePhone("0912 345 678")).toBe("84912345678");
    expect(consentablePhone("+84 912-345-678")).toBe("84912345678");
    expect(consentablePhone("84912345678")).toBe("84912345678");
    expect(consentablePhone("12345")).toBeUndefined();
    expect(consentablePhone("")).toBeUndefined();
  });

  it("keeps the newest number sealed, masks it, and opens it only for its identity", async () => {
    const book = createOaPhoneBook(createZaloOaPhoneRepository(db.conn), createTokenCipher(Buffer.alloc(32, 3)));
    expect(await book.consent({ identityId: "id-1", address: address("u1"), phone: "0912345678", at: new Date(1_000), cardText: "purpose" })).toBe(true);
    expect(await book.consent({ identityId: "id-1", address: address("u1"), phone: "0987 654 321", at: new Date(2_000), cardText: "purpose" })).toBe(true);
    expect(await book.consent({ identityId: "id-1", address: address("u1"), phone: "hello", at: new Date(3_000), cardText: "purpose" })).toBe(false);
    expect(await book.phoneOf("id-1")).toBe("84987654321");
    expect(await book.masked("id-1")).toBe("••••4321");
    const docs = await db.conn.collection("zalo_oa_phones").find({ identityId: "id-1" }).toArray();
    expect(JSON.stringify(docs)).not.toMatch(/912345678|987654321/);
    // A sealed number moved onto another identity does not open.
    await db.conn.collection("zalo_oa_phones").insertOne({ ...docs[0]!, _id: "id-2#1" as never, identityId: "id-2" });
    await expect(book.phoneOf("id-2")).rejects.toThrow();
    await db.conn.collection("zalo_oa_phones").deleteOne({ _id: "id-2#1" as never });
  });

  it(`the card is shown once when ${RACE_WIDTH} turns decide at once`, async () => {
    const book = createOaPhoneBook(createZaloOaPhoneRepository(db.conn), createTokenCipher(Buffer.alloc(32, 3)));
    const results = await race(RACE_WIDTH, () => book.decideAsk("id-3", address("u3"), new Date()));
    expectOneWinner(results, (won) => won);
  });

  it("erasure removes the numbers and the asked fact, by identity and by chat", async () => {
    const book = createOaPhoneBook(createZaloOaPhoneRepository(db.conn), createTokenCipher(Buffer.alloc(32, 3)));
    await book.consent({ identityId: "id-4", address: address("u4"), phone: "0912345670", at: new Date(5_000), cardText: "p" });
    await book.decideAsk("id-4", address("u4"), new Date());
    expect(await book.repo.eraser({ identityId: "id-4", chatKey: "other" })).toEqual({ zaloOaPhones: 2 });
    await book.consent({ identityId: "id-5", address: address("u5"), phone: "0912345671", at: new Date(5_000), cardText: "p" });
    expect(await book.repo.eraser({ chatKey: addressKey(address("u5")) })).toEqual({ zaloOaPhones: 1 });
    expect(await book.phoneOf("id-5")).toBeUndefined();
  });
});
