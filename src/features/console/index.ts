/** The console port over the sign-in use cases. */
import type { Clock } from "../../engine/ports.js";
import type { Models } from "../../store/models.js";
import type { ConsolePort } from "./port.js";
import { consoleGrantsOf, issueConsoleLink, LINK_TTL_MS } from "./sign-in.js";

export function createConsolePort(deps: { models: Models; baseUrl: () => string; clock: Clock }): ConsolePort {
  return {
    async issueLink(identityId, roles) {
      const grant = identityId ? consoleGrantsOf(identityId, roles)[0] : undefined;
      if (!grant) return { status: "not-allowed" };
      const { url } = await issueConsoleLink(deps.models, grant, deps.baseUrl(), deps.clock.now());
      const className = roles.staff.find((s) => s.classGroupId === grant.classGroupId && grant.classGroupId)?.className ?? "";
      return { status: "ok", url, minutes: LINK_TTL_MS / 60_000, scope: grant.classGroupId ? "class" : "school", className };
    },
  };
}
