/** Wiring of the concerns feature (filled in by its issue). */
import type { FeatureDeps, FeatureWiring } from "./feature.js";
import type { ConcernsPort } from "../engine/ports-concerns.js";

export function wireConcerns(_deps: FeatureDeps): FeatureWiring<ConcernsPort> {
  return { service: {} };
}
