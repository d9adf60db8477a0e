// The reads that several members' removals have in common, made once for the whole run: the
// account's members, its groups (page by page, as they arrive, to every member's sweep), each
// group's member list, the account's tokens and the run's own token. What changes is never
// shared: a group's member list read while a removal from that group is under way, or after one,
// is read again, so that an unclear answer is settled by a read made after it.
import type { UserGroup } from '../model.js';
import type { RemovalApi } from './api.js';

type OnPage = (groups: UserGroup[]) => boolean | void;

export function sharedReads(api: RemovalApi): RemovalApi {
  const accountMembers = readOnce(() => api.listAccountMembers());
  const tokens = readOnce(() => api.listTokens());
  const ownToken = readOnce(() => api.ownToken());
  const named = new Map<string, ReturnType<RemovalApi['listGroups']>>();
  const groupMembers = new Map<string, Promise<string[]>>();
  const removing = new Map<string, number>();
  const allGroups = pagesOnce((onPage) => api.listGroups({ onPage }));

  return {
    ...api,
    listAccountMembers: accountMembers,
    listTokens: tokens,
    ownToken,
    listGroups: (filter = {}) => {
      if (filter.name !== undefined) {
        const name = filter.name;
        if (!named.has(name)) named.set(name, api.listGroups({ name }));
        return named.get(name)!;
      }
      return allGroups(filter.onPage);
    },
    listGroupMembers: (groupId) => {
      if ((removing.get(groupId) ?? 0) > 0) return api.listGroupMembers(groupId);
      if (!groupMembers.has(groupId)) groupMembers.set(groupId, api.listGroupMembers(groupId));
      return groupMembers.get(groupId)!;
    },
    removeGroupMember: async (groupId, memberId) => {
      groupMembers.delete(groupId);
      removing.set(groupId, (removing.get(groupId) ?? 0) + 1);
      try {
        return await api.removeGroupMember(groupId, memberId);
      } finally {
        removing.set(groupId, removing.get(groupId)! - 1);
        groupMembers.delete(groupId);
      }
    },
  };
}

function readOnce<T>(read: () => Promise<T>): () => Promise<T> {
  let result: Promise<T> | undefined;
  return () => (result ??= read());
}

/**
 * One listing, page by page, for several readers: a reader that joins late is given the pages so
 * far at once, then each page as it arrives; the listing goes on while any reader still wants pages.
 */
function pagesOnce(list: (onPage: OnPage) => Promise<UserGroup[]>) {
  const pages: UserGroup[][] = [];
  const readers: Array<{ onPage?: OnPage; wants: boolean }> = [];
  let listing: Promise<UserGroup[]> | undefined;
  const give = (reader: (typeof readers)[number], page: UserGroup[]) => {
    if (reader.wants && reader.onPage) reader.wants = reader.onPage(page) !== false;
  };
  return (onPage?: OnPage): Promise<UserGroup[]> => {
    const reader = { onPage, wants: true };
    for (const page of pages) give(reader, page);
    readers.push(reader);
    listing ??= list((page) => {
      pages.push(page);
      for (const each of readers) give(each, page);
      return readers.some((each) => each.wants);
    });
    return listing;
  };
}
