// Which groups are targets: the ones given by id, the ones named (each name exactly one group),
// or, in a sweep, every group of the account that holds the member.
import { quote } from '../identifiers.js';
import type { Problem, UserGroup } from '../model.js';
import { problemOf, type RemovalApi } from './api.js';

/** The groups with these exact names (case included), or every problem in finding them. */
export async function groupsNamed(
  api: RemovalApi,
  accountId: string,
  names: string[],
): Promise<{ groups: UserGroup[] } | { problem: Problem }> {
  const found = await Promise.all(names.map((name) => groupNamed(api, accountId, name)));
  const problems = found.flatMap((entry) => ('problem' in entry ? [entry.problem] : []));
  // One message for every name; a refused lookup keeps its status, for the hint that names the permission.
  const refused = problems.find((problem) => problem.status !== undefined);
  if (problems.length > 0)
    return { problem: { ...refused, message: problems.map((problem) => problem.message).join('\n') } };
  const groups = found.flatMap((entry) => ('group' in entry ? [entry.group] : []));
  return { groups: [...new Map(groups.map((group) => [group.id, group])).values()] };
}

async function groupNamed(
  api: RemovalApi,
  accountId: string,
  name: string,
): Promise<{ group: UserGroup } | { problem: Problem }> {
  let groups: UserGroup[];
  try {
    groups = await api.listGroups({ name });
  } catch (error) {
    return { problem: problemOf(error, `Could not look up user-group-name ${quote(name)}: `) };
  }
  // The API's filter may be looser than exact (or ignored); the match is ours, case and all.
  const exact = groups.filter((group) => group.name === name);
  if (exact.length === 1) return { group: exact[0]! };
  if (exact.length === 0) {
    return {
      problem: {
        message: `user-group-name: no user group is named ${quote(name)} in account ${accountId} (names match exactly, case included).${hint(name)}`,
      },
    };
  }
  const ids = exact.map((g) => g.id).join(', ');
  return {
    problem: {
      message: `user-group-name: ${exact.length} user groups are named ${quote(name)} (${ids}); use user-group-id to choose.`,
    },
  };
}

// The usual reasons a name matches nothing: several names on one line, or "all" for every group.
function hint(name: string): string {
  if (/^all$/i.test(name.trim()))
    return ' To remove the member from every group that holds them, set all-groups: true.';
  if (name.includes(',')) return ' Names go one per line (a name may contain a comma), not separated by commas.';
  return '';
}

/**
 * Every group of the account, page by page: `each` starts a group's work as soon as its page
 * arrives, and the listing ends early once `stop` is aborted. The work of every listed group is
 * awaited, even when the listing fails part-way.
 */
export async function sweepGroups<T>(
  api: RemovalApi,
  each: (group: UserGroup) => Promise<T>,
  stop: AbortSignal,
): Promise<{ settled: T[]; problem?: Problem }> {
  const work: Array<Promise<T>> = [];
  let failure: { error: unknown } | undefined;
  try {
    await api.listGroups({
      onPage: (groups) => {
        work.push(...groups.map(each));
        return !stop.aborted;
      },
    });
  } catch (error) {
    failure = { error };
  }
  const settled = await Promise.all(work);
  if (failure === undefined) return { settled };
  const found =
    work.length > 0 ? ` The ${work.length} groups listed before it were handled; the rest were not checked.` : '';
  return { settled, problem: problemOf(failure.error, 'Could not list every user group of the account: ', found) };
}
