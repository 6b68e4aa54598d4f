import * as core from '@actions/core';
import { run } from './main';

// The last line of defence: whatever escapes run() is one readable line, never a stack trace.
run().catch((err: unknown) => {
  core.setFailed(`safe-deploy stopped unexpectedly: ${err instanceof Error ? err.message : String(err)}`);
});
