/**
 * Tokens at rest: AES-256-GCM with a key from configuration (`ZALO_OA_TOKEN_KEY`, 32 bytes
 * as base64 or hex). Each value gets a fresh 12-byte IV; the associated data binds a
 * ciphertext to its OA and field, so a value copied onto another record does not open.
 * Format: "v1.<iv>.<tag>.<ciphertext>" (base64url).
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

export interface TokenCipher {
  seal(plain: string, context: string): string;
  /** Throws when the key, the context or the ciphertext is wrong. */
  open(sealed: string, context: string): string;
}

/** Reads a 32-byte key given as 64 hex characters or base64 / base64url. */
export function parseTokenKey(text: string): Buffer {
  const key = /^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, "hex") : Buffer.from(text, "base64");
  if (key.length !== 32) throw new Error("ZALO_OA_TOKEN_KEY must be 32 bytes (64 hex characters or 44 base64 characters)");
  return key;
}

export function createTokenCipher(key: Buffer): TokenCipher {
  if (key.length !== 32) throw new Error("token key must be 32 bytes");
  return {
    seal(plain, context) {
      const iv = randomBytes(12);
      const c = createCipheriv("aes-256-gcm", key, iv);
      c.setAAD(Buffer.from(context, "utf8"));
      const ct = Buffer.concat([c.update(plain, "utf8"), c.final()]);
      return ["v1", iv.toString("base64url"), c.getAuthTag().toString("base64url"), ct.toString("base64url")].join(".");
    },
    open(sealed, context) {
      const [v, iv, tag, ct] = sealed.split(".");
      if (v !== "v1" || !iv || !tag || ct === undefined) throw new Error("not a sealed token");
      const d = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
      d.setAAD(Buffer.from(context, "utf8"));
      d.setAuthTag(Buffer.from(tag, "base64url"));
      return Buffer.concat([d.update(Buffer.from(ct, "base64url")), d.final()]).toString("utf8");
    },
  };
}
