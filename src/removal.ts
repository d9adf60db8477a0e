// The removal policy, in one place: settle who the member is, which groups are targets, whether
// each holds the member, the removals, and the record of it all. Refusals are values in the
// record, never exceptions; whatever happens, the record says what this run actually removed.
import { ApiError, type AccountMember, type CloudflareClient, type UserGroup } from './cloudflare.js';
import { foldEmail, type Settings } from './inputs.js';

export type Outcome = 'removed' | 'not-member' | 'would-remove' | 'failed';

/** Why something failed, with what the report needs to add a hint. */
export interface Problem {
  message: string;
  status?: number;
  codes?: Array<number | string>;
  foreign?: boolean;
}

export interface GroupResult {
  group: UserGroup;
  outcome: Outcome;
  problem?: Problem;
  note?: string;
}

/** The member this run addressed: the id in its DELETE paths, or the one its lookup found. */
export interface Member {
  id?: string;
  email?: string;
  status?: string;
}

export interface RemovalRecord {
  member: Member;
  groups: GroupResult[];
  /** Set when the member turned out not to be in the account at all: what to tell the admin. */
  notInAccount?: string;
  /** Set when the run stopped as a whole (refused, or a listing failed): why. */
  refusal?: Problem;
  /** The account member as read during the run, where it was. */
  accountMember?: AccountMember;
}

/** The member as the inputs give it, before any read: an ID, or an email with no ID yet. */
export function givenMember(member: Settings['member']): Member {
  return member.by === 'id' ? { id: member.id } : { email: member.email };
}

export type RemovalSettings = Pick<Settings, 'accountId' | 'groups' | 'member' | 'ifNotMember' | 'dryRun' | 'protectedMembers'>;
export type RemovalApi = Pick<CloudflareClient, 'listGroups' | 'listGroupMembers' | 'listAccountMembers' | 'getAccountMember' | 'removeMember'>;

type Identity = { kind: 'member'; member: AccountMember } | { kind: 'absent' } | { kind: 'refused' };

/** Carries out the removal the settings describe and returns its record. Never throws. */
export async function removeMember(settings: RemovalSettings, api: RemovalApi, log: (message: string) => void): Promise<RemovalRecord> {
  const removal = new Removal(settings, api, log);
  try {
    await removal.run();
  } catch (error) {
    removal.refuse({ message: unexpected(error) });
  }
  return removal.record();
}

class Removal {
  private readonly results: Array<GroupResult | undefined> = [];
  private member: Member;
  private accountMember: AccountMember | undefined;
  private notInAccount: string | undefined;
  private refusal: Problem | undefined;
  private stopped = false;
  // Whether the account member was read (or looked for) in this run; if not, a refused DELETE
  // is the first sign that the member may not be in the account at all.
  private accountChecked: Promise<boolean> | undefined;

  private readonly settings: RemovalSettings;
  private readonly api: RemovalApi;
  private readonly log: (message: string) => void;

  constructor(settings: RemovalSettings, api: RemovalApi, log: (message: string) => void) {
    this.settings = settings;
    this.api = api;
    this.log = log;
    this.member = givenMember(settings.member);
  }

  record(): RemovalRecord {
    return {
      member: this.member,
      groups: this.results.filter((result): result is GroupResult => result !== undefined),
      ...(this.notInAccount !== undefined && { notInAccount: this.notInAccount }),
      ...(this.refusal !== undefined && { refusal: this.refusal }),
      ...(this.accountMember !== undefined && { accountMember: this.accountMember }),
    };
  }

  refuse(problem: Problem): void {
    this.refusal ??= problem;
    this.stopped = true;
  }

  async run(): Promise<void> {
    // The member as given is checked first: a protected email or id costs no request at all.
    const given = this.settings.member;
    const protectedGiven = given.by === 'id' ? this.protection(given.id, undefined) : this.protection(undefined, given.email);
    if (protectedGiven) return this.refuse({ message: protectedGiven });

    // Who the member is, settled before any DELETE; targets are found meanwhile.
    const identity = this.needsAccountRead() ? this.settleIdentity() : Promise.resolve<Identity>({ kind: 'member', member: { id: (given as { id: string }).id, email: undefined } });
    if (this.settings.groups.by === 'all') {
      await this.sweep(identity);
      return this.completeAccountMember();
    }

    const groups = this.settings.groups.by === 'id' ? this.settings.groups.ids.map((id) => ({ id })) : await this.groupsNamed(this.settings.groups.names);
    const who = await identity;
    if (who.kind === 'absent') {
      groups?.forEach((group, index) => (this.results[index] = { group, outcome: 'not-member' }));
      return;
    }
    if (who.kind !== 'member' || groups === undefined || this.stopped) return;
    await Promise.all(groups.map((group, index) => this.settle(index, group, () => this.target(group, who.member.id))));
  }

  // With member-email the account's members are always read; with member-id only where a
  // lookup happens anyway, so the common case stays one request.
  private needsAccountRead(): boolean {
    const { member, groups, dryRun, protectedMembers } = this.settings;
    return member.by === 'email' || groups.by === 'all' || dryRun || protectedMembers.emails.size > 0;
  }

  private async settleIdentity(): Promise<Identity> {
    const found = await this.findAccountMember();
    this.accountChecked = Promise.resolve(true);
    if (found.kind === 'absent') {
      const given = this.settings.member;
      this.notInAccount = this.notInAccountMessage(given.by === 'email' ? `the email ${given.email}` : `the ID ${given.id}`);
      this.stopped = true;
      return found;
    }
    if (found.kind === 'refused') return found;
    const { member } = found;
    this.accountMember = member;
    this.member = { id: member.id, ...(member.email !== undefined && { email: member.email }), ...(member.status !== undefined && { status: member.status }) };
    const refusal = this.protection(member.id, member.email) ?? this.unknownEmail(member);
    if (refusal) {
      this.refuse({ message: refusal });
      return { kind: 'refused' };
    }
    return found;
  }

  private async findAccountMember(): Promise<Identity> {
    const { member, accountId } = this.settings;
    if (member.by === 'id') {
      let read: AccountMember;
      try {
        read = await this.api.getAccountMember(member.id);
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) return { kind: 'absent' };
        this.refuse(problemOf(error, `Could not read account member ${member.id} to settle who the member is: `));
        return { kind: 'refused' };
      }
      if (read.id !== member.id) {
        this.refuse({ message: `Reading account member ${member.id} answered with another member (${read.id}); refusing rather than guess who the member is.` });
        return { kind: 'refused' };
      }
      return { kind: 'member', member: read };
    }
    let members: AccountMember[];
    try {
      members = await this.api.listAccountMembers();
    } catch (error) {
      this.refuse(problemOf(error, `Could not list the members of account ${accountId} to find ${member.email}: `));
      return { kind: 'refused' };
    }
    const wanted = foldEmail(member.email);
    const unknown = members.filter((m) => m.email === undefined);
    if (unknown.length > 0) {
      this.refuse({ message: `The member list of account ${accountId} has ${unknown.length} member${unknown.length === 1 ? '' : 's'} without an email (${unknown.slice(0, 3).map((m) => m.id).join(', ')}), so it cannot tell whether ${member.email} is among them; refusing. Use member-id.` });
      return { kind: 'refused' };
    }
    const matches = members.filter((m) => foldEmail(m.email!) === wanted);
    if (matches.length > 1) {
      this.refuse({ message: `${matches.length} members of account ${accountId} have the email ${member.email} (${matches.map((m) => m.id).join(', ')}); refusing to guess: use member-id.` });
      return { kind: 'refused' };
    }
    return matches[0] ? { kind: 'member', member: matches[0] } : { kind: 'absent' };
  }

  /** A refusal when the member (by id, or by email where known) is protected. */
  private protection(id: string | undefined, email: string | undefined): string | undefined {
    const { ids, emails } = this.settings.protectedMembers;
    const match = email !== undefined && emails.has(foldEmail(email)) ? email : id !== undefined && ids.has(id) ? id : undefined;
    if (match === undefined) return undefined;
    return `protected-members: ${match} is protected and is never removed; nothing was removed. Take it out of protected-members only if this removal is intended.`;
  }

  private unknownEmail(member: AccountMember): string | undefined {
    if (this.settings.protectedMembers.emails.size === 0 || member.email !== undefined) return undefined;
    return `protected-members: the account member record of ${member.id} has no email, so it cannot be checked against the protected emails; refusing. Remove the emails from protected-members, or protect the member by id.`;
  }

  private async groupsNamed(names: string[]): Promise<UserGroup[] | undefined> {
    const problems: string[] = [];
    const found = await Promise.all(
      names.map(async (name) => {
        let groups: UserGroup[];
        try {
          groups = await this.api.listGroups({ name });
        } catch (error) {
          problems.push(`${problemOf(error, `Could not look up user-group-name ${JSON.stringify(name)}: `).message}`);
          return [];
        }
        // The API's filter may be looser than exact (or ignored); the match is ours, case and all.
        const exact = groups.filter((group) => group.name === name);
        if (exact.length === 0) problems.push(`user-group-name: no user group is named ${JSON.stringify(name)} in account ${this.settings.accountId} (names match exactly, case included).`);
        if (exact.length > 1) problems.push(`user-group-name: ${exact.length} user groups are named ${JSON.stringify(name)} (${exact.map((g) => g.id).join(', ')}); use user-group-id to choose.`);
        return exact;
      }),
    );
    if (problems.length > 0) {
      this.refuse({ message: problems.join('\n') });
      return undefined;
    }
    return [...new Map(found.flat().map((group) => [group.id, group])).values()];
  }

  // The access report of a sweep needs the member's roles and policies: an entry of the account
  // member list that lacks them is read once more on its own.
  private async completeAccountMember(): Promise<void> {
    const member = this.accountMember;
    if (member === undefined || this.settings.member.by !== 'email' || (member.roles !== undefined && member.policies !== undefined)) return;
    try {
      const read = await this.api.getAccountMember(member.id);
      if (read.id === member.id) this.accountMember = read;
    } catch (error) {
      this.log(`Could not read the roles and policies of account member ${member.id}: ${messageOf(error)}`);
    }
  }

  // Every group of the account; those that hold the member are the targets. Each page's groups
  // are looked up while the next page loads, and each removal follows its group's lookup.
  private async sweep(identity: Promise<Identity>): Promise<void> {
    const work: Array<Promise<void>> = [];
    let failure: unknown;
    try {
      await this.api.listGroups({
        onPage: (groups) => {
          for (const group of groups) {
            const index = this.results.push(undefined) - 1;
            work.push(this.settle(index, group, () => this.sweepGroup(group, identity)));
          }
          return !this.stopped;
        },
      });
    } catch (error) {
      failure = error;
    }
    await Promise.all(work);
    if (failure !== undefined) {
      const found = work.length > 0 ? ` The ${work.length} groups listed before it were handled; the rest were not checked.` : '';
      this.refuse(problemOf(failure, 'Could not list every user group of the account: ', found));
    }
  }

  private async sweepGroup(group: UserGroup, identity: Promise<Identity>): Promise<GroupResult | undefined> {
    // With member-id the lookup need not wait for the account member read; the removal does.
    const given = this.settings.member;
    const early = given.by === 'id' ? this.holds(group, given.id) : undefined;
    const who = await identity;
    if (who.kind !== 'member' || this.stopped) return undefined;
    const held = await (early ?? this.holds(group, who.member.id));
    if (held !== true) return held === false ? undefined : held;
    return this.settings.dryRun ? { group, outcome: 'would-remove' } : this.remove(group, who.member.id);
  }

  /** A named or given group: removed, or in a dry run looked up. */
  private async target(group: UserGroup, memberId: string): Promise<GroupResult | undefined> {
    if (this.stopped) return undefined;
    if (!this.settings.dryRun) return this.remove(group, memberId);
    const held = await this.holds(group, memberId);
    if (held === true) return { group, outcome: 'would-remove' };
    return held === false ? { group, outcome: 'not-member' } : held;
  }

  /** Whether the group's member list has the member; a failed result when it cannot be read. */
  private async holds(group: UserGroup, memberId: string): Promise<boolean | GroupResult> {
    try {
      return (await this.api.listGroupMembers(group.id)).includes(memberId);
    } catch (error) {
      return { group, outcome: 'failed', problem: problemOf(error, "Could not read the group's members: ") };
    }
  }

  // Only a read proves "not a member": a DELETE refused with 400 or 404 (whatever its code) is
  // checked against the group's member list; a refusal of any other status fails the group.
  private async remove(group: UserGroup, memberId: string): Promise<GroupResult> {
    let refused: ApiError;
    try {
      const answer = await this.api.removeMember(group.id, memberId);
      if (this.member.email === undefined && answer.email !== undefined) this.member = { ...this.member, email: answer.email };
      if (this.member.status === undefined && answer.status !== undefined) this.member = { ...this.member, status: answer.status };
      return { group, outcome: 'removed' };
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      refused = error;
    }
    if (refused.status !== 400 && refused.status !== 404) return { group, outcome: 'failed', problem: problemOf(refused) };
    let held: boolean;
    try {
      held = (await this.api.listGroupMembers(group.id)).includes(memberId);
    } catch (listing) {
      return { group, outcome: 'failed', problem: problemOf(refused, '', ` Could not confirm whether the member is in the group: ${messageOf(listing)}`) };
    }
    if (held) return { group, outcome: 'failed', problem: problemOf(refused, '', ' The member is still in the group.') };
    // An earlier attempt that timed out or hit a 5xx may have removed the member already.
    if (refused.earlierAttemptUncertain) return { group, outcome: 'removed', note: 'an earlier attempt had no clear answer; the member is no longer in the group' };
    await this.checkAccount(memberId);
    return { group, outcome: 'not-member' };
  }

  // Told apart from "not in this group" only after a refused DELETE, once per run.
  private async checkAccount(memberId: string): Promise<void> {
    this.accountChecked ??= this.api.getAccountMember(memberId).then(
      (member) => member.id === memberId,
      (error: unknown) => !(error instanceof ApiError && error.status === 404),
    );
    if (!(await this.accountChecked)) this.notInAccount ??= this.notInAccountMessage(`the ID ${memberId}`);
  }

  private notInAccountMessage(what: string): string {
    return `No member of account ${this.settings.accountId} has ${what}: check for a typo; if they already left the account, there is nothing to remove.`;
  }

  // Runs one group's work into its slot of the record; an unexpected error fails that group only.
  private async settle(index: number, group: UserGroup, work: () => Promise<GroupResult | undefined>): Promise<void> {
    let result: GroupResult | undefined;
    try {
      result = await work();
    } catch (error) {
      result = { group, outcome: 'failed', problem: { message: unexpected(error) } };
    }
    this.results[index] = result;
    if (result) this.log(`${groupLabel(result.group)}: ${result.outcome}${result.note ? ` (${result.note})` : ''}${result.problem ? `: ${result.problem.message}` : ''}`);
  }
}

export function groupLabel(group: UserGroup): string {
  return group.name !== undefined ? `${JSON.stringify(group.name)} (${group.id})` : group.id;
}

/** An error nobody foresaw: what happened, and what the user can do about it. */
export function unexpected(error: unknown): string {
  return `Unexpected error: ${messageOf(error)}. This is a fault in the action, not in the inputs: run the job again, and if it happens again, report it with this log.`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function problemOf(error: unknown, before = '', after = ''): Problem {
  const message = `${before}${messageOf(error)}${after}`;
  if (!(error instanceof ApiError)) return { message };
  return { message, ...(error.status !== undefined && { status: error.status }), codes: error.codes, foreign: error.foreign };
}
