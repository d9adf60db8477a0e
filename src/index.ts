import * as core from '@actions/core';
import { run } from './main.js';

await run({
  toolkit: {
    getInput: (name) => core.getInput(name),
    setSecret: (secret) => core.setSecret(secret),
    setOutput: (name, value) => core.setOutput(name, value),
    setFailed: (message) => core.setFailed(message),
    info: (message) => core.info(message),
    warning: (message) => core.warning(message),
    debug: (message) => core.debug(message),
    summary: async (markdown) => {
      await core.summary.addRaw(markdown).write();
    },
  },
  env: process.env,
});
