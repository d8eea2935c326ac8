import { timingSafeEqual } from "node:crypto";

/** Compares a webhook's secret header with the configured secret in constant time. */
export function secretMatches(given: string | undefined, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given), b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
