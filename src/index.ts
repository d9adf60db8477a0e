import { run } from './main.js';
import { runnerToolkit } from './toolkit.js';

await run({ toolkit: runnerToolkit(process.env), env: process.env });
