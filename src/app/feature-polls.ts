/** Wiring of the polls and opinion-rounds feature (filled in by its issue). */
import type { FeatureDeps, FeatureWiring } from "./feature.js";
import type { PollsPort } from "../engine/ports-polls.js";

export function wirePolls(_deps: FeatureDeps): FeatureWiring<PollsPort> {
  return { service: {} };
}
