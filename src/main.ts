// The flow: inputs → plan → execute → report. The only place where an error fails the step.
import type { Dispatcher } from 'undici';
import type { Toolkit } from './toolkit.js';
import { CloudflareClient, type Member } from './cloudflare.js';
import { createDispatcher } from './http.js';
import { execute, removeFrom, type GroupResult } from './execute.js';
import { credentialValues, describeMember, readSettings, type Env, type Settings } from './inputs.js';
import { checkProtected, givenMember, memberIdentity, needsCheckAfterLookup, planGroups } from './plan.js';
import { Refusal } from './refusal.js';
import { redactor, type Redact } from './redact.js';
import { buildReport, groupLabel } from './report.js';
import { issueContext, type GitHubApi, type IssueContext } from './github.js';

export interface Dependencies {
  toolkit: Toolkit;
  env: Env;
  /** Replaces the HTTP layer (tests); by default an agent that honours HTTPS_PROXY / NO_PROXY. */
  dispatcher?: Dispatcher;
  sleep?: (ms: number) => Promise<void>;
  /** Connects to the GitHub API (tests); by default @actions/github, loaded only when needed. */
  github?: (token: string, env: Env) => Promise<GitHubApi>;
}

export async function run({ toolkit, env, dispatcher, sleep, github }: Dependencies): Promise<void> {
  // Mask credentials before anything else can print them.
  const secrets = credentialValues(toolkit.getInput, env);
  secrets.forEach((secret) => toolkit.setSecret(secret));
  const redact = redactor(secrets);
  const out = redactedToolkit(toolkit, redact);

  try {
    const settings = readSettings(toolkit.getInput, env);
    // The permission gate comes before any Cloudflare request.
    const issue = await issueContext(settings, env, out, github);
    const client = new CloudflareClient({
      baseUrl: settings.baseUrl,
      accountId: settings.accountId,
      credentials: settings.credentials,
      maxRetries: settings.maxRetries,
      timeoutMs: settings.timeoutMs,
      concurrency: settings.concurrency,
      dispatcher: dispatcher ?? createDispatcher(settings.baseUrl, env),
      log: (message) => out.info(message),
      sleep,
    });
    out.info(intent(settings));

    let identity: Member = givenMember(settings);
    let results: GroupResult[] = [];
    try {
      identity = await memberIdentity(settings, client);
      checkProtected(settings, [identity]);
      if (needsCheckAfterLookup(settings)) {
        const plans = await planGroups(settings, client);
        checkProtected(settings, plans.flatMap((plan) => (plan.state === 'member' ? [plan.member] : [])));
        results = await execute(settings, plans, client);
      } else {
        // Nothing a lookup finds can be protected now, so each group's DELETE follows its lookup.
        results = await planGroups(settings, client, (plan) => removeFrom(settings, plan, client));
      }
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      await finish(out, redact, settings, identity, results, error.message, issue);
      return;
    }
    if (settings.groups.by === 'all' && results.length === 0) {
      out.warning(`No user group of account ${settings.accountId} holds ${describeMember(settings)}; nothing to remove.`);
    }
    await finish(out, redact, settings, identity, results, undefined, issue);
  } catch (error) {
    out.setFailed(error instanceof Error ? error.message : String(error));
  }
}

// Outputs first, so that `if: always()` steps can read them, then the summary, the issue
// comment, and last the failure itself.
async function finish(
  out: Toolkit,
  redact: Redact,
  settings: Settings,
  identity: Member,
  results: GroupResult[],
  refusal: string | undefined,
  issue: IssueContext | undefined,
): Promise<void> {
  const report = buildReport(settings, identity, results, { refusal, redact });
  for (const [name, value] of Object.entries(report.outputs)) out.setOutput(name, value);
  for (const r of results) {
    const detail = r.error ?? r.note;
    out.info(`${groupLabel(r.group)}: ${r.outcome}${detail ? ` (${detail})` : ''}`);
  }
  try {
    await out.summary(report.summary);
  } catch (error) {
    out.warning(`Could not write the job summary: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (issue) await issue.comment(redact(report.summary));
  if (report.failure) out.setFailed(report.failure);
}

function intent(settings: Settings): string {
  const who = describeMember(settings);
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

function redactedToolkit(toolkit: Toolkit, redact: Redact): Toolkit {
  return {
    getInput: toolkit.getInput,
    setSecret: toolkit.setSecret,
    setOutput: (name, value) => toolkit.setOutput(name, redact(value)),
    setFailed: (message) => toolkit.setFailed(redact(message)),
    info: (message) => toolkit.info(redact(message)),
    warning: (message) => toolkit.warning(redact(message)),
    summary: (markdown) => toolkit.summary(redact(markdown)),
  };
}
