/**
 * Did a failed `fetch` reach the platform? Only a connection that was never made (refused, no
 * such host, no route, connect timeout) proves the request was not sent. After a timeout or a
 * connection cut mid-request, Zalo may have carried it out: the outcome is unknown, and the
 * outbox then flags the next try as a possible duplicate (as for Telegram, see
 * src/channels/telegram/to-channel-error.ts). Shared by the Bot Platform and the OA clients.
 */

/** Error codes (undici / node:net) raised before a request could be written. */
const NEVER_CONNECTED = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "UND_ERR_CONNECT_TIMEOUT"]);

/** True when `err` (a `fetch` rejection) proves the request never left: a plain transient error. */
export function requestNeverSent(err: unknown): boolean {
  const visit = (e: unknown, depth: number): boolean => {
    if (!e || typeof e !== "object" || depth > 5) return false;
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && NEVER_CONNECTED.has(code)) return true;
    const errors = (e as { errors?: unknown }).errors;
    // Happy eyeballs: an AggregateError of one refusal per address; all must be "never connected".
    if (Array.isArray(errors) && errors.length > 0 && errors.every((x) => visit(x, depth + 1))) return true;
    return visit((e as { cause?: unknown }).cause, depth + 1);
  };
  return visit(err, 0);
}
