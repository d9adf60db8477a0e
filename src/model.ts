// The action's shared vocabulary: members, user groups, outcomes and problems. Imports only the
// rules for IDs, addresses and values in messages (identifiers.ts), so anything may import it.
import { foldEmail } from './identifiers.js';

/** Environment variables, as the runner passes them. */
export type Env = Record<string, string | undefined>;

export const PERMISSIONS = ['read', 'triage', 'write', 'maintain', 'admin'] as const;
export type Permission = (typeof PERMISSIONS)[number];

export type Credentials = { scheme: 'token'; token: string } | { scheme: 'global-key'; email: string; key: string };

/** Which accounts a run covers: one or more account IDs, or every account the credentials can list. */
export type AccountSelection = { by: 'ids'; ids: string[] } | { by: 'all' };

/** Which user groups a run acts on. */
export type GroupSelection = { by: 'id'; ids: string[] } | { by: 'name'; names: string[] } | { by: 'all' };

/** Members that must never be removed. */
export interface ProtectedMembers {
  /** Lower-cased. */
  readonly ids: ReadonlySet<string>;
  /** Folded with foldEmail. */
  readonly emails: ReadonlySet<string>;
}

/** The member as the inputs name it, before any read. */
export type MemberSelection = { by: 'id'; id: string } | { by: 'email'; email: string };

export type MemberStatus = 'accepted' | 'pending';

/** A member's status as an answer gives it: only the two the API documents, anything else is left out. */
export function memberStatus(value: unknown): MemberStatus | undefined {
  return value === 'accepted' || value === 'pending' ? value : undefined;
}

/** The member a run addressed: the id in its DELETE paths, or the one its lookup found. */
export interface Member {
  id?: string;
  email?: string;
  status?: MemberStatus;
}

export function givenMember(selection: MemberSelection): Member {
  return selection.by === 'id' ? { id: selection.id } : { email: selection.email };
}

/** One key per person as given: an email ignoring ASCII case, or an id. */
export function personKey(selection: MemberSelection): string {
  return selection.by === 'email' ? foldEmail(selection.email) : selection.id.toLowerCase();
}

/** How messages name a member: by email where known, else by id. */
export function nameMember(member: Member): string {
  if (member.email !== undefined) return member.email;
  return member.id !== undefined ? `member ${member.id}` : 'the member';
}

export interface Policy {
  access?: string;
  permissionGroups: string[];
  resourceGroups: string[];
  /**
   * What the policy covers, from its resource groups' scope keys (never their names, which users
   * choose): the whole account, less than it, or unknown when the answer does not say.
   */
  scope: 'account' | 'part' | 'unknown';
}

/** An account member record, as read from the account. */
export interface AccountMember {
  id: string;
  /** The user's email (`user.email`, else `email`). */
  email: string | undefined;
  /** Every different email the record carries (`user.email`, `email`): two when they disagree. */
  emails: string[];
  status?: MemberStatus;
  /** Role names; undefined when the record has no roles field. */
  roles?: string[];
  /** Direct policies; undefined when the record has no policies field. */
  policies?: Policy[];
}

export interface UserGroup {
  id: string;
  name?: string;
  /** The group's policies, as its listing gives them; undefined when the answer has no policies field. */
  policies?: Policy[];
}

/** Why something failed, with what the report needs to add a hint. */
export interface Problem {
  message: string;
  status?: number;
  codes?: Array<number | string>;
  /** The answer is not one the Cloudflare API gives. */
  foreign?: boolean;
  /** The permission the failed operation takes, when it is not the user-group one. */
  needs?: string;
}

/** `unknown`: a DELETE was sent, and neither its answer nor a read settled whether it took effect. */
export type GroupOutcome = 'removed' | 'not-member' | 'would-remove' | 'failed' | 'unknown';

export interface GroupResult {
  group: UserGroup;
  outcome: GroupOutcome;
  problem?: Problem;
  note?: string;
  /** The `cf-ray` of each answered attempt of the write: how the account's audit log knows it. */
  rays?: string[];
  /** With confirm-in-audit-log: whether the account's audit log shows the write (by a ray of it). */
  audit?: AuditState;
}

/** Whether the account's audit log shows a write: it does, or it did not within the minute the run waited. */
export type AuditState = 'confirmed' | 'not-yet-seen';

/** `rays` for a result, only when there are any. */
export function withRays(rays: readonly string[] | undefined): { rays?: string[] } {
  return rays !== undefined && rays.length > 0 ? { rays: [...rays] } : {};
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** An error nobody foresaw: what happened, and what the user can do about it. */
export function unexpected(error: unknown): string {
  return `Unexpected error: ${messageOf(error)}. This is a fault in the action, not in the inputs: run the job again, and if it happens again, report it with this log.`;
}

/** What `member-tokens` asks: leave the member's tokens alone, list them, or disable the active ones. */
export type TokenMode = 'ignore' | 'report' | 'disable';

/** The outcome of a step beyond the groups: the account membership, the Access sessions, the tokens. */
export type StepOutcome =
  | 'removed'
  | 'revoked'
  | 'disabled'
  | 'reported'
  | 'not-needed'
  | 'would-remove'
  | 'would-revoke'
  | 'would-disable'
  | 'failed'
  /** A change was sent, and neither its answer nor a read settled whether it took effect. */
  | 'unknown';

export interface StepResult {
  outcome: StepOutcome;
  problem?: Problem;
  note?: string;
  /** False when the step could not even look (not done, a listing that failed): its part of the report is unknown. */
  checked?: false;
  /** The sessions step: the revocation took in the WARP devices and WARP sessions too. */
  devices?: true;
  /** The `cf-ray` of each answered attempt of the write. */
  rays?: string[];
  audit?: AuditState;
}

/**
 * What a listing found, or that it was not read. A reader has to tell the two apart, so that
 * nothing that was not read can be reported as "none".
 */
type Listing<T> = { read: true; items: T } | { read: false };

/** An account-owned API token, as the report shows it; never its value. */
export interface TokenState {
  id: string;
  name: string;
  status: string;
  /** For the member's tokens when they were to be disabled: what became of this one. */
  outcome?: 'disabled' | 'would-disable' | 'kept' | 'failed' | 'unknown';
  problem?: Problem;
  /** The `cf-ray` of each answered attempt of the update. */
  rays?: string[];
  audit?: AuditState;
}

/** Only a status the API documents as not usable (disabled, expired) is taken for a token that does not work. */
export function mayBeActive(status: string): boolean {
  return status !== 'disabled' && status !== 'expired';
}

/** The account's tokens as the tokens step found them. */
interface FoundTokens {
  /** The member's tokens (created by their email). */
  tokens: TokenState[];
  /** Tokens with no known creator, or one that is not a plain address: for a person to review, never disabled. */
  unattributed: TokenState[];
}

export interface TokensResult extends StepResult {
  found: Listing<FoundTokens>;
}
