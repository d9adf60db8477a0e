// The entry point of the restore action (restore/action.yml, bundled to dist/restore/index.js); the
// logic is in main.ts.
import { run } from './main.js';

await run();
