// The restore action's wiring: settings -> the record and its proof -> permission gate -> client
// -> restore -> report. The one place that fails its step. Every path ends in a complete record:
// outputs, summary and, when asked, the comment; a cancelled run too (SIGINT, SIGTERM), within the
// time the runner leaves it, as the main action does.
import { stat, readFile } from 'node:fs/promises';
import type { Dispatcher } from 'undici';
import { admitIssueRun } from '../issue/issue-run.js';
import { messageOf, type Env } from '../model.js';
import { dispatcherFor, runStep, runUrl, transportFor, writeRecord, type Dependencies } from '../runner.js';
import { problemsMessage } from '../settings/settings.js';
import type { Step } from '../step.js';
import { realClock, type Watchdog } from '../watchdog.js';
import { protectedBy } from './member.js';
import { prove, type Proven } from './proof.js';
import { MAX_RECORD_CHARACTERS, parseRecord } from './record.js';
import { buildRestoreReport } from './report.js';
import type { RestoreRunOutcome } from './view.js';
import { restoreApi } from './api.js';
import { runRestore } from './restore.js';
import { readRestoreSettings, type RestoreSettings } from './settings.js';

/** The hidden marker of the restore's comment: never the offboarding's, which it must not overwrite. */
const RESTORE_COMMENT_MARKER = '<!-- cloudflare-remove-group-member:restore -->';

export function run(dependencies: Partial<Dependencies> = {}): Promise<void> {
  return runStep(dependencies, (step, env, watchdog) => restore(step, env, dependencies, watchdog));
}

async function restore(step: Step, env: Env, dependencies: Partial<Dependencies>, watchdog: Watchdog): Promise<void> {
  const ready = await prepare(step, env, dependencies);
  // A run refused for its inputs or its record sends nothing to Cloudflare, so it needs no
  // permission check; its comment still reports it. Otherwise the gate comes before any request.
  const github = 'refused' in ready ? { ...ready.github, requiredPermission: 'none' as const } : ready.settings.github;
  const options = { ...github, commentMarker: RESTORE_COMMENT_MARKER };
  const issue = await admitIssueRun(options, env.GITHUB_EVENT_NAME ?? '', step, dependencies.github);
  let outcome: RestoreRunOutcome;
  if ('refused' in ready) outcome = ready.refused;
  else if (issue.denial !== undefined)
    outcome = { stage: 'gate', settings: ready.settings, proven: ready.proven, problem: { message: issue.denial } };
  else outcome = await restoring(ready, step, dependencies, watchdog);
  await writeRecord(step, buildRestoreReport(outcome, step.text, runUrl(env)), issue, watchdog);
}

type Prepared =
  | { settings: RestoreSettings; proven: Proven; dispatcher: Dispatcher }
  | { refused: Extract<RestoreRunOutcome, { stage: 'inputs' }>; github: RestoreSettings['github'] };

// The settings, the record proven, and the HTTP layer; or why the inputs, the record or the
// environment refuse the run. Nothing here sends a request.
async function prepare(step: Step, env: Env, dependencies: Partial<Dependencies>): Promise<Prepared> {
  const read = readRestoreSettings((name) => step.input(name), env);
  if (!read.ok)
    return { refused: { stage: 'inputs', problem: { message: problemsMessage(read.problems) } }, github: read.github };
  const { settings } = read;
  for (const warning of read.warnings) step.warning(warning);
  const refuse = (message: string, proven?: Proven): Prepared => ({
    refused: { stage: 'inputs', settings, problem: { message }, ...(proven && { proven }) },
    github: settings.github,
  });
  const text = await recordText(settings);
  if ('problem' in text) return refuse(text.problem);
  const parsed = parseRecord(text.text);
  if ('problem' in parsed) return refuse(parsed.problem);
  const proof = prove(parsed.entries, settings.accountId, settings.member, settings.recordKey);
  if ('problem' in proof) return refuse(proof.problem);
  const { proven } = proof;
  // Protection by what the inputs and the record say, before any request; by the member as read, later.
  const given = settings.member.by === 'email' ? [settings.member.email] : [];
  const guarded = protectedBy(settings.protectedMembers, {
    id: proven.memberId,
    emails: [...given, ...(proven.email !== undefined ? [proven.email] : [])],
  });
  if (guarded !== undefined) return refuse(guarded, proven);
  const http = dispatcherFor(dependencies, settings.baseUrl, env);
  if ('problem' in http) return refuse(http.problem, proven);
  return { settings, proven, dispatcher: http.dispatcher };
}

// The record's text: the input's, or the file's (bounded, so that no artifact can fill the memory).
async function recordText({ record }: RestoreSettings): Promise<{ text: string } | { problem: string }> {
  if (record.by === 'text') return { text: record.text };
  try {
    const { size, isFile } = await stat(record.path).then((info) => ({ size: info.size, isFile: info.isFile() }));
    if (!isFile) return { problem: `record-file: ${record.path} is not a file.` };
    if (size > MAX_RECORD_CHARACTERS * 4)
      return { problem: `record-file: ${record.path} holds ${size} bytes, more than any record of this action.` };
    return { text: (await readFile(record.path, 'utf8')).trim() };
  } catch (error) {
    return {
      problem: `record-file: could not read ${record.path}: ${messageOf(error)}. If an earlier step downloads it (an artifact, say), check that it ran and where it put the file.`,
    };
  }
}

async function restoring(
  { settings, proven, dispatcher }: Extract<Prepared, { proven: Proven }>,
  step: Step,
  dependencies: Partial<Dependencies>,
  watchdog: Watchdog,
): Promise<RestoreRunOutcome> {
  const clock = dependencies.clock ?? realClock;
  const transport = transportFor(settings, step, dispatcher, clock, watchdog);
  step.info(intent(settings, proven));
  const plan = {
    proven,
    wanted: settings.member,
    dryRun: settings.dryRun,
    protectedMembers: settings.protectedMembers,
    usesToken: settings.credentials.scheme === 'token',
  };
  const record = await runRestore(plan, restoreApi(transport, settings.accountId), (message) => step.info(message));
  const interrupted = watchdog.reason;
  return { stage: 'restore', settings, proven, record, ...(interrupted && { interrupted }) };
}

/** What the run is about to do, in one plain sentence for the log. */
function intent(
  { accountId, dryRun }: RestoreSettings,
  { memberId, email, removedGroups, disabledTokens, at }: Proven,
) {
  const who = email !== undefined ? `${email} (account member ${memberId})` : `account member ${memberId}`;
  const what = `${removedGroups.length} user group(s) and ${disabledTokens.length} API token(s) that the offboarding run signed at ${at} removed and disabled`;
  return dryRun
    ? `Dry run: checking what of ${what} would be restored for ${who} in account ${accountId}; nothing will be changed.`
    : `Restoring ${who} in account ${accountId}: ${what}.`;
}
