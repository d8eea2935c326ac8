/** Wiring of the broadcast feature (filled in by its issue). */
import type { FeatureDeps, FeatureWiring } from "./feature.js";
import type { BroadcastPort } from "../engine/ports-broadcast.js";

export function wireBroadcast(_deps: FeatureDeps): FeatureWiring<BroadcastPort> {
  return { service: {} };
}
