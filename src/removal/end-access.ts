// The rest of a person's access, ended after the groups, each step only when asked: their tokens,
// then their Access sessions, then (all-groups runs) the account membership, the hardest to undo,
// last. Each acts on the settled identity only; a refused run does none of them. A step that sent
// a change never reads as "not done": it settles what it sent itself.
import type { StepResult, TokensResult } from '../model.js';
import { describeStop, StoppedError } from '../watchdog.js';
import type { RemovalApi, RemovalPlan } from './api.js';
import { settleAccount } from './account.js';
import type { Identity } from './identity.js';
import type { LastSuperAdminGuard } from './last-super-admin.js';
import { settleSessions } from './sessions.js';
import { settleTokens } from './tokens.js';

export interface AccessSteps {
  tokens?: TokensResult;
  sessions?: StepResult;
  account?: StepResult;
}

type StepName = keyof AccessSteps;

/** The address the steps that go by email use, or why they cannot go by one. */
type Address = { email: string } | { refusal: string };

export async function endAccess(
  plan: RemovalPlan,
  api: RemovalApi,
  who: Identity,
  guard: LastSuperAdminGuard,
): Promise<AccessSteps> {
  const asked = stepsAsked(plan);
  if (asked.length === 0) return {};
  if (who.kind === 'stopped') return notDone(asked, 'the run was refused before this step; nothing was changed');
  const address = addressOf(plan, who);
  const steps: AccessSteps = {};
  try {
    if (asked.includes('tokens')) steps.tokens = await tokensStep(plan, api, address);
    if (asked.includes('sessions')) steps.sessions = await sessionsStep(plan, api, address);
    if (asked.includes('account')) steps.account = await accountStep(plan, api, who, guard);
  } catch (error) {
    if (!(error instanceof StoppedError)) throw error;
    const left = asked.filter((step) => steps[step] === undefined);
    return { ...notDone(left, `the run stopped (${describeStop(error.reason)}) before this step`), ...steps };
  }
  return steps;
}

function stepsAsked({ memberTokens, revokeSessions, removeFromAccount }: RemovalPlan): StepName[] {
  const steps: StepName[] = [];
  if (memberTokens !== 'ignore') steps.push('tokens');
  if (revokeSessions) steps.push('sessions');
  if (removeFromAccount) steps.push('account');
  return steps;
}

// The member's email, only when their record has exactly one. For a person who is not in the
// account, the address given, when the admin accepted that they may not be (if-not-in-account:
// skip): Access sessions and account-owned tokens outlive the membership.
function addressOf(plan: RemovalPlan, who: Exclude<Identity, { kind: 'stopped' }>): Address {
  if (who.kind === 'absent') {
    if (plan.member.by !== 'email')
      return { refusal: 'no account member has the ID given, so there is no email to go by' };
    if (plan.ifNotInAccount === 'fail')
      return { refusal: 'no account member has the email, and if-not-in-account is fail' };
    return { email: plan.member.email };
  }
  const emails = who.accountMember?.emails ?? [];
  if (emails.length === 1) return { email: emails[0]! };
  if (emails.length === 0) return { refusal: 'the account member record has no email to go by' };
  return {
    refusal: `the account member record carries two different emails (${emails.join(' and ')}); refusing to go by either`,
  };
}

function tokensStep(plan: RemovalPlan, api: RemovalApi, address: Address): Promise<TokensResult> {
  if ('refusal' in address) return Promise.resolve(notDoneTokens(address.refusal));
  const mode = plan.memberTokens === 'disable' ? 'disable' : 'report';
  return settleTokens(api, address.email, mode, plan.dryRun, plan.usesToken);
}

function sessionsStep(plan: RemovalPlan, api: RemovalApi, address: Address): Promise<StepResult> {
  if ('refusal' in address) return Promise.resolve(notDoneStep(address.refusal));
  return settleSessions(api, address.email, plan.dryRun, plan.revokeDevices);
}

function accountStep(plan: RemovalPlan, api: RemovalApi, who: Identity, guard: LastSuperAdminGuard) {
  if (who.kind === 'absent')
    return Promise.resolve<StepResult>({ outcome: 'not-needed', note: 'the member is not in the account' });
  if (who.kind !== 'member' || who.accountMember === undefined)
    return Promise.resolve(notDoneStep('the account member record was not read'));
  return settleAccount(api, who.accountMember, plan.dryRun, guard);
}

function notDoneStep(why: string): StepResult {
  return { outcome: 'failed', problem: { message: `Not done: ${why}.` }, checked: false };
}

function notDoneTokens(why: string): TokensResult {
  return { ...notDoneStep(why), found: { read: false } };
}

function notDone(steps: StepName[], why: string): AccessSteps {
  return {
    ...(steps.includes('tokens') && { tokens: notDoneTokens(why) }),
    ...(steps.includes('sessions') && { sessions: notDoneStep(why) }),
    ...(steps.includes('account') && { account: notDoneStep(why) }),
  };
}
