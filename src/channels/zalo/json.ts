/**
 * `JSON.parse` that keeps big integers exact. Zalo ids may exceed 2^53; when a payload carries
 * one as a bare number literal, plain `JSON.parse` silently rounds it ("…789012" → "…789000").
 * This pre-pass quotes every integer literal outside strings that is not a safe integer, so it
 * arrives as the exact digits in a string. Everything else is parsed as usual. Throws like
 * `JSON.parse` on malformed input.
 */
export function parseJsonExact(text: string): unknown {
  return JSON.parse(quoteUnsafeIntegers(text));
}

/** Rewrites unsafe integer literals (outside strings) as JSON strings. */
export function quoteUnsafeIntegers(text: string): string {
  let out = "";
  let i = 0;
  let copiedUpTo = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '"') {
      // Skip the whole string literal, escapes included.
      i++;
      while (i < text.length && text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
      i++;
      continue;
    }
    if (ch === "-" || (ch >= "0" && ch <= "9")) {
      const start = i;
      i++;
      while (i < text.length && /[0-9eE.+-]/.test(text[i]!)) i++;
      const literal = text.slice(start, i);
      if (/^-?\d+$/.test(literal) && !Number.isSafeInteger(Number(literal))) {
        out += text.slice(copiedUpTo, start) + `"${literal}"`;
        copiedUpTo = i;
      }
      continue;
    }
    i++;
  }
  return copiedUpTo === 0 ? text : out + text.slice(copiedUpTo);
}
