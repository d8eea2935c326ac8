/**
 * The meetings feature's port, implemented in `src/store` and wired in `src/app/container.ts`.
 * (Filled in by the meetings issue; empty until then.)
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface MeetingsPort {}
