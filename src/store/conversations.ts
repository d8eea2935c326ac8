/** Conversation positions per chat (`ConversationStore` port). */
import type { ConversationState, ConversationStore } from "../engine/ports.js";
import type { Models } from "./models.js";

export function createConversationStore(models: Models): ConversationStore {
  return {
    async get(key) {
      const doc = await models.ConversationState.findById(key).lean();
      if (!doc) return undefined;
      const { _id, data, ...state } = doc;
      return { ...state, data: typeof data === "string" ? JSON.parse(data) : {} } as ConversationState;
    },
    async put(key, state) {
      await models.ConversationState.replaceOne({ _id: key }, { ...state, data: JSON.stringify(state.data) }, { upsert: true });
    },
    async delete(key) {
      await models.ConversationState.deleteOne({ _id: key });
    },
  };
}

/** Deletes conversations idle since before `cutoff` (run by the maintenance scheduler). */
export async function expireConversations(models: Models, cutoff: Date): Promise<number> {
  return (await models.ConversationState.deleteMany({ updatedAt: { $lt: cutoff } })).deletedCount ?? 0;
}
