import { randomBytes } from "node:crypto";

/** Crockford base32: no I, L, O, U, so codes read aloud or typed by hand survive. */
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/** 13 symbols × 5 bits = 65 bits of randomness (the issue asks for at least 60). */
export const INVITE_CODE_LENGTH = 13;

/** Generates a fresh invite code, e.g. "K7M2Q9XD4RT8B". Safe as a Telegram deep-link payload. */
export function generateInviteCode(random: (n: number) => Uint8Array = randomBytes): string {
  const bytes = random(INVITE_CODE_LENGTH);
  let out = "";
  for (const b of bytes) out += ALPHABET[b & 31];
  return out;
}

/**
 * Normalizes what a person typed into the canonical code: upper case, separators dropped,
 * look-alike letters mapped the Crockford way (O → 0, I/L → 1). Returns undefined for input
 * that cannot be a code, so the caller answers "unknown code" without a database read.
 */
export function normalizeInviteCode(input: string): string | undefined {
  const code = input
    .toUpperCase()
    .replace(/[\s\-_.]/g, "")
    .replace(/O/g, "0")
    .replace(/[IL]/g, "1");
  if (code.length !== INVITE_CODE_LENGTH) return undefined;
  for (const ch of code) if (!ALPHABET.includes(ch)) return undefined;
  return code;
}

/** Groups a code for print: "K7M2-Q9XD-4RT8B". */
export function formatInviteCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`;
}
