// The rest of a person's access, ended after the groups, each step only when asked: their tokens,
// then their Access sessions, then (all-groups runs) the account membership, the hardest to undo,
// last. Each acts on the settled identity only; a refused or stopped run does none of them.
import type { AccountMember, Problem, StepResult, TokensResult } from '../model.js';
import { describeStop, StoppedError } from '../watchdog.js';
import type { RemovalApi, RemovalPlan } from './api.js';
import { settleAccount } from './account.js';
import type { Identity } from './identity.js';
import { settleSessions } from './sessions.js';
import { settleTokens } from './tokens.js';

export interface AccessSteps {
  tokens?: TokensResult;
  sessions?: StepResult;
  account?: StepResult;
}

type Step = keyof AccessSteps;

export async function endAccess(
  plan: RemovalPlan,
  api: RemovalApi,
  who: Identity,
  record?: AccountMember,
): Promise<AccessSteps> {
  const asked = stepsAsked(plan, who);
  if (asked.length === 0) return {};
  if (who.kind === 'stopped') return notDone(asked, 'the run was refused before this step; nothing was changed');
  const email = emailOf(plan, who, record);
  const steps: AccessSteps = {};
  for (const step of asked) {
    try {
      Object.assign(steps, { [step]: await settle(step, plan, api, who, record, email) });
    } catch (error) {
      if (!(error instanceof StoppedError)) throw error;
      return {
        ...steps,
        ...notDone(
          asked.filter((s) => !(s in steps)),
          `the run stopped (${describeStop(error.reason)}) before this step`,
        ),
      };
    }
  }
  return steps;
}

// Tokens are matched only for a member of the account, the settled identity: for someone who is not
// in it, the step is left out (and the report says so).
function stepsAsked({ memberTokens, revokeSessions, removeFromAccount }: RemovalPlan, who: Identity): Step[] {
  const steps: Step[] = [];
  if (memberTokens !== 'ignore' && who.kind !== 'absent') steps.push('tokens');
  if (revokeSessions) steps.push('sessions');
  if (removeFromAccount) steps.push('account');
  return steps;
}

// The email the steps go by: the member's, only when the record has one; for a member not in the
// account, the address given, which sessions (and only sessions) still go by.
function emailOf(plan: RemovalPlan, who: Identity, record?: AccountMember): string | Problem {
  if (who.kind === 'absent')
    return plan.member.by === 'email'
      ? plan.member.email
      : { message: 'no account member has the ID given, so there is no email to go by' };
  const emails = record?.emails ?? [];
  if (emails.length === 1) return emails[0]!;
  if (emails.length === 0) return { message: 'the account member record has no email to go by' };
  return {
    message: `the account member record carries two different emails (${emails.join(' and ')}); refusing to go by either`,
  };
}

async function settle(
  step: Step,
  plan: RemovalPlan,
  api: RemovalApi,
  who: Identity,
  record: AccountMember | undefined,
  email: string | Problem,
) {
  const { dryRun } = plan;
  if (step === 'account') {
    if (who.kind === 'absent')
      return { outcome: 'not-needed', note: 'the member is not in the account' } satisfies StepResult;
    return record
      ? settleAccount(api, record, dryRun, plan.leavingTogether)
      : failed('the account member record was not read');
  }
  if (typeof email === 'object')
    return step === 'tokens' ? { ...failed(email.message), tokens: [], unattributed: [] } : failed(email.message);
  if (step === 'sessions') {
    if (who.kind === 'absent' && plan.ifNotInAccount === 'fail')
      return failed('no account member has the email, and if-not-in-account is fail');
    return settleSessions(api, email, dryRun);
  }
  // Tokens are matched only for a member of the account: the settled identity.
  if (who.kind === 'absent')
    return { ...failed('no account member has the email, so no token is matched to it'), tokens: [], unattributed: [] };
  return settleTokens(api, email, plan.memberTokens as 'report' | 'disable', dryRun, plan.usesToken);
}

function failed(message: string): StepResult {
  return { outcome: 'failed', problem: { message: `Not done: ${message}.` }, checked: false };
}

function notDone(steps: Step[], why: string): AccessSteps {
  const results = steps.map((step) => [
    step,
    step === 'tokens' ? { ...failed(why), tokens: [], unattributed: [] } : failed(why),
  ]);
  return Object.fromEntries(results) as AccessSteps;
}
