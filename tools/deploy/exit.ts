// deploy's exit statuses, which say what failed: here, apart from the work, so that the command
// line is refused with its status before anything heavy loads.
export const EXIT = { ok: 0, verifyFailed: 1, setup: 2, pulumiFailed: 3 } as const;
