// What the run is about to do, in one plain sentence for the log, and its settings for the debug log.
import { quote } from '../identifiers.js';
import { nameMember, givenMember } from '../model.js';
import type { Settings } from '../settings/settings.js';

export function intent(settings: Settings): string {
  const { members } = settings;
  const subject = members.length === 1 ? nameMember(givenMember(members[0]!)) : `${members.length} members`;
  const where = describeGroups(settings.groups, members.length > 1 ? 'them' : 'it');
  const within = accountsOf(settings.accounts);
  if (!settings.dryRun) return `Removing ${subject} from ${where} in ${within}.`;
  return `Dry run: checking which memberships of ${subject} in ${where} in ${within} would be removed; nothing will be removed.`;
}

function accountsOf(accounts: Settings['accounts']): string {
  if (accounts.by === 'all') return 'every account these credentials see';
  return accounts.ids.length === 1 ? `account ${accounts.ids[0]}` : `${accounts.ids.length} accounts`;
}

function describeGroups(groups: Settings['groups'], pronoun: string): string {
  switch (groups.by) {
    case 'all':
      return `every user group that holds ${pronoun}`;
    case 'id':
      return groups.ids.length === 1 ? `user group ${groups.ids[0]}` : `${groups.ids.length} user groups`;
    case 'name':
      return `the user group${groups.names.length === 1 ? '' : 's'} named ${groups.names.map((name) => quote(name)).join(', ')}`;
  }
}

/** The resolved settings, credentials left out. */
export function settingsForDebug(settings: Settings): string {
  const { credentials, github, protectedMembers, recordKey, ...rest } = settings;
  return `Settings: ${JSON.stringify({
    ...rest,
    credentials: credentials.scheme,
    recordKey: recordKey ? '(set)' : '(empty)',
    protectedMembers: { ids: [...protectedMembers.ids], emails: [...protectedMembers.emails] },
    github: { ...github, token: github.token ? '(set)' : '(empty)' },
  })}`;
}
