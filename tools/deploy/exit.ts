// deploy's exit statuses, which say what failed: apart from the work, so that the entry file names
// them without loading it.
export const EXIT = { ok: 0, verifyFailed: 1, setup: 2, pulumiFailed: 3 } as const;
