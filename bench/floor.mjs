// The floor for a cold start: a bare Node process that sends the same DELETE with fetch and
// parses the JSON answer. Same inputs, read from the same variables as the action.
const env = process.env;
const url = `${env['INPUT_API-BASE-URL']}/accounts/${env['INPUT_ACCOUNT-ID']}/iam/user_groups/${env['INPUT_USER-GROUP-ID']}/members/${env['INPUT_MEMBER-ID']}`;
const response = await fetch(url, { method: 'DELETE', headers: { authorization: `Bearer ${env['INPUT_API-TOKEN']}` } });
const body = await response.json();
if (!body.success) process.exit(1);
