import * as runner from './runner';
import { run } from './main';

// The last line of defence: whatever escapes run() is one readable line, never a stack trace.
run().catch((err: unknown) => {
  runner.setFailed(`safe-deploy stopped unexpectedly: ${err instanceof Error ? err.message : String(err)}`);
});
