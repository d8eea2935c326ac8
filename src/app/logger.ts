/** pino, with the fields that must never reach a log redacted as a second line of defence. */
import { pino, type Logger } from "pino";

export type { Logger };

/**
 * Errors are logged by type, code and a stack without the first line: database errors echo
 * the values they rejected (message texts), so their messages are dropped.
 */
export function serializeError(err: unknown): object {
  if (!(err instanceof Error)) return { value: typeof err };
  const e = err as Error & { code?: unknown; codeName?: unknown; cause?: unknown };
  const fromDatabase = /^Mongo|Mongoose|ValidationError|CastError/.test(e.name);
  return {
    type: e.name,
    ...(e.code !== undefined ? { code: e.code } : {}),
    ...(e.codeName !== undefined ? { codeName: e.codeName } : {}),
    message: fromDatabase ? "[redacted: database error]" : e.message.slice(0, 300),
    stack: e.stack?.split("\n").slice(1, 6).join("\n"),
    ...(e.cause ? { cause: serializeError(e.cause) } : {}),
  };
}

export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level,
      serializers: { err: serializeError },
      base: { app: "so-lien-lac" },
      redact: {
        paths: [
          "token", "*.token", "text", "*.text", "phone", "*.phone", "args", "*.args", "body", "*.body", "headers.authorization",
          // Names, handles and captions of people, and raw messenger updates, wherever they are passed.
          "caption", "*.caption", "displayName", "*.displayName", "fullName", "*.fullName", "username", "*.username",
          "first_name", "*.first_name", "last_name", "*.last_name", "update", "*.update",
        ],
        censor: "[redacted]",
      },
    },
    destination as pino.DestinationStream | undefined,
  );
}
