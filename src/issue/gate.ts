// The permission gate: everyone whose action or text drives the run must hold the required
// permission. For an issue, that is the issue's author and the event's sender: the sender alone
// would let a maintainer's edit or label replay an outsider's form text with the maintainer's
// permission. With an approver permission, the sender must also hold it and be someone other than
// the author, and be a person: a bot or an app (an auto-labeller, say) never approves. Fails
// closed: anything but a confirmed, high enough role refuses the run.
import { PERMISSIONS, type Permission } from '../model.js';
import { LOGIN } from './authorship.js';
import { describeGitHubError, statusOf, type Bounded } from './deadline.js';
import type { GitHubApi, RunEvent } from './github-api.js';

export interface GateRules {
  required: Permission;
  /** For issue events: the sender approves, and must hold this and not be the author. */
  approver?: Permission;
  /** What triggered the run, for messages: "an issue", or the event's name. */
  trigger: string;
}

interface Person {
  who: string;
  login: string;
  needs: Permission;
  rule: 'required-permission' | 'approver-permission';
}

/** Why the run may not go on, or undefined (with a line for the log) when everyone holds enough. */
export async function checkPeople(
  event: RunEvent,
  rules: GateRules,
  issue: boolean,
  call: Bounded,
  api: GitHubApi,
  info: (message: string) => void,
): Promise<string | undefined> {
  const named: Array<[string, unknown]> = [["the event's sender", event.sender]];
  if (issue) named.unshift(["the issue's author", event.author]);
  for (const [who, login] of named) {
    if (typeof login !== 'string' || !LOGIN.test(login)) {
      return `required-permission: the event names no valid login for ${who}, so their permission cannot be checked; refusing.`;
    }
  }
  const people = whoMustHold(issue ? (event.author as string) : undefined, event.sender as string, rules);
  if (typeof people === 'string') return people;
  if (issue && rules.approver && event.senderType !== 'User') return noPerson(event, rules.approver);
  const results = await Promise.all(
    people.map(async (person) => ({ ...person, ...(await roleOf(person.login, call, api)) })),
  );
  const denials = results.flatMap((result) => denial(result, rules.trigger) ?? []);
  if (denials.length > 0) return denials.join('\n');
  const held = results.map(({ who, login, role }) => `${who} ${login} has "${role}"`).join('; ');
  const needed = rules.approver ? `${rules.required}; to approve: ${rules.approver}` : rules.required;
  info(`${held} permission on this repository (required: ${needed}).`);
  return undefined;
}

// One check per person: an author who is also the sender is checked once.
function whoMustHold(author: string | undefined, sender: string, { required, approver }: GateRules): Person[] | string {
  const same = author !== undefined && author.toLowerCase() === sender.toLowerCase();
  if (approver && same) {
    return `approver-permission: the event's sender ${sender} is the issue's author; a second person with "${approver}" permission must approve the request (by adding the approval label, say); refusing.`;
  }
  const senderNeeds = approver && rank(approver) > rank(required) ? approver : required;
  const rule = senderNeeds === required ? 'required-permission' : 'approver-permission';
  const senderMust: Person = { who: "the event's sender", login: sender, needs: senderNeeds, rule };
  if (author === undefined) return [senderMust];
  if (same)
    return [
      { who: "the issue's author and the event's sender", login: author, needs: required, rule: 'required-permission' },
    ];
  return [{ who: "the issue's author", login: author, needs: required, rule: 'required-permission' }, senderMust];
}

// The payload's sender.type: User for a person; Bot (an app) or Organization are never a second person.
function noPerson(event: RunEvent, approver: Permission): string {
  const type = typeof event.senderType === 'string' ? JSON.stringify(event.senderType.slice(0, 20)) : 'not given';
  return `approver-permission: the event's sender ${event.sender as string} is not a person (GitHub account type ${type}, not "User"); a bot or an app never counts as the second person with "${approver}" permission who approves a request; refusing.`;
}

function rank(permission: Permission): number {
  return PERMISSIONS.indexOf(permission);
}

function denial(person: Person & { role?: Permission; error?: string }, trigger: string): string | undefined {
  const { who, login, role, error, needs, rule } = person;
  if (error !== undefined)
    return `${rule}: could not read the repository permission of ${who} ${login}: ${error}; refusing.`;
  const runs = rule === 'approver-permission' ? 'approving a request needs' : `runs triggered by ${trigger} need`;
  if (role === undefined) {
    return `${rule}: ${who} ${login} is not a collaborator of this repository, and ${runs} "${needs}" permission; refusing.`;
  }
  if (rank(role) < rank(needs)) {
    return `${rule}: ${who} ${login} has "${role}" permission on this repository, and ${runs} "${needs}" or higher; refusing.`;
  }
  return undefined;
}

async function roleOf(login: string, call: Bounded, api: GitHubApi): Promise<{ role?: Permission; error?: string }> {
  try {
    const role = await call((signal) => api.role(login, signal));
    if ((PERMISSIONS as readonly string[]).includes(role)) return { role: role as Permission };
    return { error: `GitHub answered an unknown role ${JSON.stringify(role).slice(0, 40)}` };
  } catch (error) {
    if (statusOf(error) === 404) return {};
    return { error: describeGitHubError(error) };
  }
}
