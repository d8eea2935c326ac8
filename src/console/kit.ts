/** The console's shared helpers, handed by routes.ts to the route files it registers (types only). */
import type { FastifyReply, FastifyRequest } from "fastify";
import type { ConsoleSession } from "../features/console/sign-in.js";
import type { layout } from "./views.js";

export interface ConsoleKit {
  /** The request's session, or undefined after answering 401. */
  signedIn(req: FastifyRequest, reply: FastifyReply): Promise<ConsoleSession | undefined>;
  /** The request's session, without answering. */
  session(req: FastifyRequest): Promise<ConsoleSession | undefined>;
  html(reply: FastifyReply, status: number, page: string): FastifyReply;
  nav(s: ConsoleSession): Promise<Parameters<typeof layout>[2] & object>;
  csrfOk(s: ConsoleSession, given: unknown): boolean;
  forbidden(reply: FastifyReply): FastifyReply;
}

