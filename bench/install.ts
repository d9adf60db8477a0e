// Installs bench/'s own packages (the official Cloudflare SDK the benchmark compares with, and
// @github/local-action), which the top-level install leaves out: on first use, and again when
// bench/package-lock.json is newer than the install.
import { execSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bench = fileURLToPath(new URL('.', import.meta.url));
const installed = `${bench}node_modules/.package-lock.json`;
const lock = `${bench}package-lock.json`;
if (!existsSync(installed) || statSync(installed).mtimeMs < statSync(lock).mtimeMs) {
  console.log('Installing bench/package.json (npm ci in bench/)...');
  execSync('npm ci', { cwd: bench, stdio: 'inherit' });
}
