/** Wiring of the meetings feature (filled in by its issue). */
import type { FeatureDeps, FeatureWiring } from "./feature.js";
import type { MeetingsPort } from "../engine/ports-meetings.js";

export function wireMeetings(_deps: FeatureDeps): FeatureWiring<MeetingsPort> {
  return { service: {} };
}
