/**
 * The polls and opinion-rounds feature's port, implemented in `src/store` and wired in
 * `src/app/feature-polls.ts`. (Filled in by the notices/polls issue; empty until then.)
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface PollsPort {}
