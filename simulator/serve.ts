// Starts the Cloudflare API simulator with a sample account and keeps it running, for the
// self-test workflow and for `npm run local-action`: `node simulator/serve.ts [file]` writes the
// base URL, account, token, member and group IDs as name=value lines to the file (or stdout).
// SIMULATOR_PORT chooses the port (default: any free one).
import { appendFileSync } from 'node:fs';
import { seedSample } from './sample.ts';

const { simulator, values } = seedSample();
const baseUrl = await simulator.start(Number(process.env.SIMULATOR_PORT ?? 0));
const lines = Object.entries({ 'base-url': baseUrl, ...values })
  .map(([name, value]) => `${name}=${value}\n`)
  .join('');
const file = process.argv[2];
if (file) appendFileSync(file, lines);
else process.stdout.write(lines);
process.on('SIGTERM', () => void simulator.stop().then(() => process.exit(0)));
