// The sample account the demo, the self-test workflow and local runs use: two people, four
// groups (one managed by SCIM), roles and a direct policy, and a token that may change groups;
// ann also created two account API tokens and has Access sessions, and one token has no known
// creator, so that a complete offboarding has something to end.
import { CloudflareSimulator } from './cloudflare.ts';

const SAMPLE_TOKEN = 'sample-token-with-account-settings-write';

export function seedSample() {
  const simulator = new CloudflareSimulator({ tokens: { [SAMPLE_TOKEN]: 'write' } });
  const account = simulator.addAccount('0123456789abcdef0123456789abcdef');
  const ann = simulator.addMember(account, 'ann@example.com', 'accepted', 'a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1', {
    roles: [{ id: 'f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0', name: 'Administrator Read Only' }],
    policies: [{ access: 'allow', permissionGroups: ['DNS Write'], resourceGroups: ['Zone example.com'] }],
  });
  const joann = simulator.addMember(account, 'joann@example.com', 'accepted', 'b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2');
  const engineers = simulator.addGroup(account, 'Engineers', [ann.id, joann.id], {
    id: 'e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1',
  });
  const billing = simulator.addGroup(account, 'Billing', [joann.id], { id: 'e2e2e2e2e2e2e2e2e2e2e2e2e2e2e2e2' });
  const oncall = simulator.addGroup(account, 'On-call', [ann.id], { id: 'e3e3e3e3e3e3e3e3e3e3e3e3e3e3e3e3' });
  const okta = simulator.addGroup(account, 'Okta Admins', [ann.id], {
    id: 'e4e4e4e4e4e4e4e4e4e4e4e4e4e4e4e4',
    scim: true,
  });
  const deploy = simulator.addToken(account, {
    id: 'c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1',
    name: 'deploy (ann)',
    creator: 'ann@example.com',
  });
  simulator.addToken(account, {
    id: 'c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2',
    name: 'terraform',
    creator: 'Ann@Example.com',
  });
  simulator.addToken(account, { id: 'c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3', name: 'legacy backup' });
  simulator.addSessions(account, 'ann@example.com', 2);
  return {
    simulator,
    values: {
      'account-id': account,
      'api-token': SAMPLE_TOKEN,
      'ann-id': ann.id,
      'joann-id': joann.id,
      'engineers-id': engineers.id,
      'billing-id': billing.id,
      'oncall-id': oncall.id,
      'okta-id': okta.id,
      'ann-token-id': deploy.id,
    },
  };
}
