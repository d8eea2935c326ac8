/** The roster port (files sent to the bot) over its use cases. */
import type { RosterUploadPort } from "./port.js";
import { applyRosterUpload, previewRosterUpload, type RosterUploadDeps } from "./upload.js";

export function createRosterUploads(deps: RosterUploadDeps): RosterUploadPort {
  return {
    preview: (person, file) => previewRosterUpload(deps, person, file),
    apply: (person, uploadId) => applyRosterUpload(deps, person, uploadId),
  };
}
