// A GitHub API and event in memory, for issue-triggered runs in this process: who holds which
// role, and the comments posted. The bundle's issue-triggered runs use octokit and a mock server.
import type { ConnectGitHub, GitHubApi } from '../../src/issue/github-api.ts';

export function fakeGitHub(roles: Record<string, string>, event = { issueNumber: 1, author: 'mona', sender: 'mona' }) {
  const comments: Array<{ id: number; body: string }> = [];
  const api: GitHubApi = {
    role: async (user) => {
      if (!(user in roles)) throw Object.assign(new Error('Not Found'), { status: 404 });
      return roles[user]!;
    },
    findComment: async (_issue, marker) => comments.find((c) => c.body.startsWith(marker))?.id,
    createComment: async (_issue, body) => {
      if (body.length > 65_536)
        throw Object.assign(new Error('body is too long (maximum is 65536 characters)'), { status: 422 });
      comments.push({ id: comments.length + 1, body });
    },
    updateComment: async (id, body) => {
      const comment = comments.find((c) => c.id === id);
      if (comment) comment.body = body;
    },
  };
  const connect: ConnectGitHub = async () => ({ event, api });
  return { connect, comments };
}
