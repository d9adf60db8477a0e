// What the member still holds in the account after an all-groups run, from the run's record alone:
// the account membership, policies and roles, groups whose removal failed, the API tokens they
// created and whether their Access sessions were ended. `complete` is false whenever something was
// not checked, and then nothing here may be read as "nothing remains".
import { mayBeActive, type Policy, type TokenMode, type TokenState } from '../model.js';
import type { RemovalRecord } from '../removal/removal.js';
import { unknownChange } from './changes.js';
import type { StopReason } from '../watchdog.js';

export interface RemainingAccess {
  /** Whether the member is still an account member; null when a removal was sent and nothing settled it. */
  inAccount: boolean | null;
  status?: string;
  /** Direct role names; null when the account member record did not say. */
  roles: string[] | null;
  /** Direct policies; null when the account member record did not say. */
  policies: Policy[] | null;
  /** Groups that still hold the member after this run (or may), and why. */
  groups: Array<{ id: string; name?: string; why: string }>;
  /** The account-owned API tokens they created, as after this run (member-tokens not ignore); null when not read. */
  tokens?: TokenState[] | null;
  /** Tokens with no known creator, for a person to review (member-tokens not ignore); null when not read. */
  unattributedTokens?: TokenState[] | null;
  sessions: 'revoked' | 'not-revoked' | 'not-checked' | 'unknown';
  /** The revocation took in the WARP devices and WARP sessions too (revoke-devices). */
  devices?: true;
  complete: boolean;
}

export function remainingAccess(
  record: RemovalRecord,
  dryRun: boolean,
  tokenMode: TokenMode,
  interrupted?: StopReason,
): RemainingAccess | undefined {
  const member = record.accountMember;
  if (member === undefined && record.notInAccount === undefined) return undefined;
  const found = tokenMode === 'ignore' ? undefined : (record.tokens?.found ?? { read: false as const });
  const account = record.account?.outcome;
  const gone = member === undefined || account === 'removed' || account === 'not-needed';
  const settled = [record.account, record.sessions, record.tokens].every(
    (step) => step === undefined || (step.checked !== false && step.outcome !== 'unknown'),
  );
  const checked =
    record.stopped === undefined &&
    interrupted === undefined &&
    record.unsettled === undefined &&
    found?.read !== false &&
    settled &&
    !unknownChange(record);
  const tokens = found && {
    tokens: found.read ? found.items.tokens : null,
    unattributedTokens: found.read ? found.items.unattributed : null,
  };
  return {
    inAccount: account === 'unknown' ? null : !gone,
    ...(!gone && member?.status !== undefined && { status: member.status }),
    roles: gone ? [] : (member?.roles ?? null),
    policies: gone ? [] : (member?.policies ?? null),
    groups: gone ? [] : heldGroups(record, dryRun),
    ...tokens,
    sessions: sessionsState(record),
    ...(record.sessions?.devices && { devices: true as const }),
    complete: checked && (gone || (member?.roles !== undefined && member.policies !== undefined)),
  };
}

function sessionsState({ sessions }: RemovalRecord): RemainingAccess['sessions'] {
  if (sessions === undefined) return 'not-checked';
  if (sessions.outcome === 'revoked') return 'revoked';
  return sessions.outcome === 'unknown' ? 'unknown' : 'not-revoked';
}

function heldGroups(record: RemovalRecord, dryRun: boolean): RemainingAccess['groups'] {
  return record.groups.flatMap(({ group, outcome, problem }) => {
    const named = { id: group.id, ...(group.name !== undefined && { name: group.name }) };
    if (outcome === 'would-remove') return [{ ...named, why: dryRun ? 'dry run: not removed' : 'not removed' }];
    if (outcome === 'unknown')
      return [{ ...named, why: `whether the removal took effect is unknown: ${problem?.message ?? 'no answer'}` }];
    if (outcome !== 'failed') return [];
    return [
      { ...named, why: `the removal failed or the group could not be read: ${problem?.message ?? 'unknown error'}` },
    ];
  });
}

/**
 * `access-remains`: true when the report names anything the member still holds; false only when it
 * is complete, names nothing, the sessions were revoked in this run and the tokens were read with
 * none active and none unattributed; otherwise unknown (empty).
 */
export function accessRemains(access: RemainingAccess | undefined): 'true' | 'false' | '' {
  if (access === undefined) return '';
  const some = (list: unknown[] | null) => list === null || list.length > 0;
  const active = (access.tokens ?? []).some((token) => mayBeActive(token.status));
  if (access.inAccount === true || some(access.roles) || some(access.policies) || access.groups.length > 0 || active)
    return 'true';
  const tokensClear = Array.isArray(access.tokens) && access.unattributedTokens?.length === 0;
  const clear = access.inAccount === false && access.complete && access.sessions === 'revoked' && tokensClear;
  return clear ? 'false' : '';
}
