// Wiring only: settings -> permission gate -> client -> removal -> report. The one place that
// fails the step. Every path ends in a complete record: outputs, summary and, when asked, the comment.
import * as actionsCore from '@actions/core';
import type { Dispatcher } from 'undici';
import { remainingAccess } from './access.js';
import { CloudflareClient } from './cloudflare.js';
import { openIssue, type ConnectGitHub, type GitHubSettings, type IssueGate } from './github.js';
import { createDispatcher } from './http.js';
import { credentialValues, describeMember, InputError, readSettings, type Settings } from './inputs.js';
import { Pacer } from './pacing.js';
import { givenMember, removeMember, unexpected, type Problem, type RemovalRecord } from './removal.js';
import { buildReport, type RunFacts } from './report.js';
import { Requester } from './requests.js';
import { safeText, secretParts } from './safe-text.js';
import { openStep, type ActionsCore, type Env, type Step } from './step.js';

export interface Dependencies {
  core: ActionsCore;
  env: Env;
  /** The HTTP layer (tests); by default an undici agent through the runner's proxy settings. */
  dispatcher?: Dispatcher;
  sleep?: (ms: number) => Promise<void>;
  /** The GitHub API and event (tests); by default @actions/github, loaded only when needed. */
  github?: ConnectGitHub;
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function run(dependencies: Partial<Dependencies> = {}): Promise<void> {
  const core = dependencies.core ?? actionsCore;
  const env = dependencies.env ?? process.env;
  // Credentials are masked before anything else can print them.
  const secrets = credentialValues((name) => core.getInput(name), env);
  for (const part of secretParts(secrets)) core.setSecret(part);
  const step = openStep(core, safeText(secrets));
  try {
    await offboard(step, env, dependencies);
  } catch (error) {
    // Only a fault while writing the record itself ends up here.
    step.fail(unexpected(error));
  }
}

async function offboard(step: Step, env: Env, dependencies: Partial<Dependencies>): Promise<void> {
  const eventName = env.GITHUB_EVENT_NAME ?? '';
  let settings: Settings;
  try {
    settings = readSettings((name) => step.input(name), env);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    // Nothing will reach Cloudflare, so no permission check; the comment still reports it.
    const github: GitHubSettings = { ...error.github, requiredPermission: 'none' };
    const issue = await openIssue(github, eventName, step, dependencies.github);
    return finish(step, { record: { member: {}, groups: [] }, stoppedBefore: { message: error.message }, dryRun: false, ifNotMember: 'fail', allGroups: false }, issue);
  }
  logSettings(step, settings);

  // The permission gate comes before any Cloudflare request.
  const issue = await openIssue(settings.github, eventName, step, dependencies.github);
  if (issue.refusal !== undefined) return finish(step, facts(settings, { member: givenMember(settings.member), groups: [] }, { message: issue.refusal }), issue);

  const sleep = dependencies.sleep ?? wait;
  const requests = new Requester({
    baseUrl: settings.baseUrl,
    credentials: settings.credentials,
    maxRetries: settings.maxRetries,
    timeoutMs: settings.timeoutMs,
    dispatcher: dependencies.dispatcher ?? createDispatcher(settings.baseUrl),
    pacer: new Pacer({ concurrency: settings.concurrency, sleep, log: (message) => step.info(message) }),
    log: (message) => step.info(message),
    excerpt: step.text.excerpt,
    sleep,
  });
  const client = new CloudflareClient(requests, settings.accountId);

  step.info(intent(settings));
  const remove = () => removeMember(settings, client, (message) => step.info(message));
  // A sweep's lines (one per group, retries, waits) go into a collapsible log group.
  const long = settings.groups.by === 'all' || (settings.groups.by === 'id' ? settings.groups.ids : settings.groups.names).length > 1;
  const record = long ? await step.group('User groups', remove) : await remove();
  return finish(step, facts(settings, record), issue);
}

function facts(settings: Settings, record: RemovalRecord, stoppedBefore?: Problem): RunFacts {
  const allGroups = settings.groups.by === 'all';
  const remaining = allGroups && !stoppedBefore ? remainingAccess(record, settings.dryRun) : undefined;
  return {
    record,
    ...(stoppedBefore && { stoppedBefore }),
    accountId: settings.accountId,
    member: settings.member,
    credentials: settings.credentials,
    dryRun: settings.dryRun,
    ifNotMember: settings.ifNotMember,
    allGroups,
    ...(remaining && { remaining }),
  };
}

// Outputs first, so that `if: always()` steps can read them, then the summary, the issue
// comment, and last the failure itself.
async function finish(step: Step, run: RunFacts, issue: IssueGate): Promise<void> {
  const report = buildReport(run, step.text);
  for (const [name, value] of Object.entries(report.outputs)) step.output(name, value);
  try {
    await step.summary(report.summary);
  } catch (error) {
    step.warning(`Could not write the job summary: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (issue.comment) await issue.comment(report.summary);
  for (const warning of report.warnings) step.warning(warning);
  if (report.failure !== undefined) step.fail(report.failure);
}

function logSettings(step: Step, settings: Settings): void {
  const { credentials, github, protectedMembers, ...rest } = settings;
  step.debug(`Settings: ${JSON.stringify({ ...rest, credentials: credentials.scheme, protectedMembers: { ids: [...protectedMembers.ids], emails: [...protectedMembers.emails] }, github: { ...github, token: github.token ? '(set)' : '(empty)' } })}`);
}

function intent(settings: Settings): string {
  const who = describeMember(settings.member);
  const where = describeGroups(settings.groups);
  if (!settings.dryRun) return `Removing ${who} from ${where} in account ${settings.accountId}.`;
  return `Dry run: checking which memberships of ${who} in ${where} in account ${settings.accountId} would be removed; nothing will be removed.`;
}

function describeGroups(groups: Settings['groups']): string {
  switch (groups.by) {
    case 'all':
      return 'every user group that holds it';
    case 'id':
      return groups.ids.length === 1 ? `user group ${groups.ids[0]}` : `${groups.ids.length} user groups`;
    case 'name':
      return `the user group${groups.names.length === 1 ? '' : 's'} named ${groups.names.map((n) => JSON.stringify(n)).join(', ')}`;
  }
}
