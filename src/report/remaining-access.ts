// What the member still holds in the account after an all-groups run, from the run's record alone:
// the account membership, policies and roles, groups whose removal failed, the API tokens they
// created and whether their Access sessions were ended. `complete` is false whenever something was
// not checked, and then nothing here may be read as "nothing remains".
import type { Policy, TokenMode, TokenState } from '../model.js';
import type { RemovalRecord } from '../removal/removal.js';
import type { StopReason } from '../watchdog.js';

export interface RemainingAccess {
  /** Whether the member is still an account member; false when the run found no such member or removed them. */
  inAccount: boolean;
  status?: string;
  /** Direct role names; null when the account member record did not say. */
  roles: string[] | null;
  /** Direct policies; null when the account member record did not say. */
  policies: Policy[] | null;
  /** Groups that still hold the member after this run, and why. */
  groups: Array<{ id: string; name?: string; why: string }>;
  /** The account-owned API tokens they created, as they are after this run (when member-tokens is not ignore). */
  tokens?: TokenState[];
  /** Tokens with no known creator, for a person to review (when member-tokens is not ignore). */
  unattributedTokens?: TokenState[];
  sessions: 'revoked' | 'not-revoked' | 'not-checked';
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
  const tokens = tokenMode !== 'ignore' && record.tokens ? record.tokens : undefined;
  const checked =
    record.stopped === undefined &&
    interrupted === undefined &&
    record.unsettled === undefined &&
    (tokenMode === 'ignore' || (tokens !== undefined && tokens.checked !== false)) &&
    [record.account, record.sessions].every((step) => step?.checked !== false);
  const gone =
    member === undefined || record.account?.outcome === 'removed' || record.account?.outcome === 'not-needed';
  return {
    inAccount: !gone,
    ...(!gone && member?.status !== undefined && { status: member.status }),
    roles: gone ? [] : (member?.roles ?? null),
    policies: gone ? [] : (member?.policies ?? null),
    groups: gone ? [] : heldGroups(record, dryRun),
    ...(tokens && { tokens: tokens.tokens, unattributedTokens: tokens.unattributed }),
    sessions:
      record.sessions === undefined ? 'not-checked' : record.sessions.outcome === 'revoked' ? 'revoked' : 'not-revoked',
    complete: checked && (gone || (member?.roles !== undefined && member.policies !== undefined)),
  };
}

function heldGroups(record: RemovalRecord, dryRun: boolean): RemainingAccess['groups'] {
  return record.groups.flatMap(({ group, outcome, problem }) => {
    const named = { id: group.id, ...(group.name !== undefined && { name: group.name }) };
    if (outcome === 'would-remove') return [{ ...named, why: dryRun ? 'dry run: not removed' : 'not removed' }];
    if (outcome !== 'failed') return [];
    return [
      { ...named, why: `the removal failed or the group could not be read: ${problem?.message ?? 'unknown error'}` },
    ];
  });
}

/**
 * `access-remains`: true when the report names anything the member still holds; false only when it
 * is complete, names nothing, the sessions were revoked in this run and the tokens were checked with
 * none active and none unattributed; otherwise unknown (empty).
 */
export function accessRemains(access: RemainingAccess | undefined): 'true' | 'false' | '' {
  if (access === undefined) return '';
  const some = (list: unknown[] | null) => list === null || list.length > 0;
  const active = (access.tokens ?? []).some((token) => token.status === 'active');
  if (access.inAccount || some(access.roles) || some(access.policies) || access.groups.length > 0 || active)
    return 'true';
  const tokensClear = access.tokens !== undefined && (access.unattributedTokens ?? []).length === 0;
  return access.complete && access.sessions === 'revoked' && tokensClear ? 'false' : '';
}
