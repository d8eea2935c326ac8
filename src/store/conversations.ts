/** Conversation positions per chat (`ConversationStore` port). */
import type { ConversationState, ConversationStore } from "../engine/ports.js";
import type { Models } from "./models.js";

export function createConversationStore(models: Models): ConversationStore {
  return {
    async get(key) {
      const doc = await models.ConversationState.findById(key).lean();
      if (!doc) return undefined;
      const { _id, data, trail, ...state } = doc;
      return { ...state, data: typeof data === "string" ? JSON.parse(data) : {}, ...(typeof trail === "string" ? { trail: JSON.parse(trail) } : {}) } as ConversationState;
    },
    async put(key, state) {
      const { trail, ...rest } = state;
      await models.ConversationState.replaceOne({ _id: key }, { ...rest, data: JSON.stringify(state.data), ...(trail ? { trail: JSON.stringify(trail) } : {}) }, { upsert: true });
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
