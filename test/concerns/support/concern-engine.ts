/**
 * Flow unit tests of /phananh: the test engine over a `FakeConcerns`, made afresh before each
 * test, and the people and turns of a story. `e.t` and `e.concerns` are the current test's.
 *
 * @example
 * const e = useConcernEngine("1001");
 * it("…", async () => { e.as("1001", { guardianOf: [an] }); expect(await e.say("/phananh")).toMatch(/…/); });
 */
import { beforeEach } from "vitest";
import { createTestEngine } from "../../support/fakes.js";
import { addressKey } from "../../../src/engine/messages.js";
import { NO_ROLES, type Roles } from "../../../src/domain/roles.js";
import { FakeConcerns } from "./fake-concerns.js";

export function useConcernEngine(defaultUser: string) {
  const e = {
    concerns: new FakeConcerns(),
    t: {} as ReturnType<typeof createTestEngine>,
    /** Makes `userId` a linked person with these roles (the rest empty). */
    as: (userId: string, roles: Partial<Roles>) =>
      e.t.directory.people.set(addressKey(e.t.address(userId)), { identityId: `id-${userId}`, roles: { ...structuredClone(NO_ROLES), ...roles }, locale: "vi" }),
    /** The replies' texts to a message, joined by newlines. */
    say: async (text: string, userId = defaultUser) => e.t.texts(await e.t.send(text, userId)).join("\n"),
    /** The replies' texts to a button press. */
    press: async (payload: string, userId = defaultUser) => e.t.texts(await e.t.press(payload, userId)).join("\n"),
  };
  beforeEach(() => {
    e.concerns = new FakeConcerns();
    e.t = createTestEngine({ concerns: e.concerns });
  });
  return e;
}
