/** The office console as the bot sees it: /quantri asks for a one-time sign-in link. */
import type { Roles } from "../../domain/roles.js";

export type ConsoleLinkResult =
  | { status: "ok"; url: string; minutes: number; scope: "school" | "class"; className: string }
  | { status: "not-allowed" };

export interface ConsolePort {
  /** A one-time link for the person's most powerful console role (principal, school admin, homeroom teacher). */
  issueLink(identityId: string | undefined, roles: Roles): Promise<ConsoleLinkResult>;
}
