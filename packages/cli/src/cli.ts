// The `sfx` binary's entry point.
import { run } from './program.js';

await run();
