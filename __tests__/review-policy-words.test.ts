// The review of conditional access names what a reviewer must check: every directory role, user
// action and guest type in words with its ID beside it; a user-action policy targets no resource
// rather than "no resource"; a guest policy's table names its guests; "every hour"; and the table
// says what the sentence says.
import { Testing } from 'cdktf';
import { buildStacksFromConfig } from '../lib/config/build-from-config';
import { parseConfigText } from '../lib/config/load-config';
import { ADMINISTRATOR_ROLE_IDS, ADMINISTRATOR_ROLES } from '../lib/model/conditional-access-presets';
import { GUEST_OR_EXTERNAL_USER_TYPE_WORDS, USER_ACTION_WORDS } from '../lib/model/conditional-access-values';
import { collectReviews } from '../lib/review/collect';
import { renderReview } from '../lib/review/render';

const BREAK_GLASS = '6b1d6a6e-2f0e-4a5c-9a57-0c1f3c0b7a11';

/** The review of a tenant with one policy `p` of these lines: its sentence and its table rows by first column. */
function reviewOf(...lines: string[]): { sentence: string; rows: Record<string, string>; text: string } {
  const text = ['tenants:', '  corp:', '    conditionalAccessPolicies:', '      p:', ...lines.map((l) => `        ${l}`)].join('\n');
  const app = Testing.app();
  buildStacksFromConfig(app, parseConfigText(text, 't.yaml'));
  const review = collectReviews(app)
    .map((r) => renderReview(r))
    .join('\n');
  const section = review.slice(review.indexOf('### Conditional access policy'));
  const body = section.split('\n');
  const sentence = body[2];
  const rows: Record<string, string> = {};
  // The table: after the sentence, a blank line, its header and its separator; it ends at a blank line.
  for (const l of body.slice(6)) {
    if (l.trim() === '') break;
    const m = /^\| ([^|]+) \| (.*) \| (.*) \|$/.exec(l);
    if (m) rows[m[1]] = m[2];
  }
  return { sentence, rows, text: review };
}

describe('the review of a policy names', () => {
  it('every directory role in words, its template ID beside it in the table', () => {
    const r = reviewOf('preset: requirePhishingResistantMfaForAdmins');
    expect(r.text).not.toMatch(/holders of \d+ directory roles?/);
    ADMINISTRATOR_ROLES.forEach((name, i) => {
      expect(r.rows.Users).toContain(`${name} (\`${ADMINISTRATOR_ROLE_IDS[i]}\`)`);
      expect(r.sentence).toContain(name);
    });
  });

  it('excluded roles in words too', () => {
    const r = reviewOf('includeUsers: [All]', `excludeUsers: [${BREAK_GLASS}]`, 'excludeRoles: [d29b2b05-8046-44ba-8758-1e26182fcf32]');
    expect(r.rows.Excluded).toContain('holders of the directory role Directory Synchronization Accounts (`d29b2b05-8046-44ba-8758-1e26182fcf32`)');
    expect(r.sentence).toContain('excludes 1 emergency-access account and holders of the directory role Directory Synchronization Accounts');
  });

  it('the user action of a security-info registration policy, which targets no resource', () => {
    const r = reviewOf('preset: requireMfaForSecurityInfoRegistration');
    expect(r.text).not.toMatch(/no resource/);
    expect(r.sentence).toMatch(/^Require MFA for all users when they register security information from any client app; /);
    expect(r.rows.Resources).toBe('none: the policy targets the user action below instead');
    expect(r.rows['User actions']).toBe(`${USER_ACTION_WORDS['urn:user:registersecurityinfo']} (\`urn:user:registersecurityinfo\`)`);
  });

  it("a guest policy's guests, in the table's Users row as in the sentence", () => {
    const r = reviewOf(
      'includeGuestsOrExternalUsers: { types: [b2bCollaborationGuest, serviceProvider] }',
      'includeApplications: [All]',
      'grant: { block: true }',
    );
    expect(r.rows.Users).not.toBe('no one');
    expect(r.rows.Users).toBe('B2B collaboration guest users (`b2bCollaborationGuest`) and service provider users (`serviceProvider`) from any tenant');
    expect(r.sentence).toContain('Block access for B2B collaboration guest users and service provider users from any tenant signing in to all resources');
    expect(r.rows['Guests and external users']).toContain(GUEST_OR_EXTERNAL_USER_TYPE_WORDS.serviceProvider);
  });

  it.each([
    ['{ value: 1, unit: hours }', 'every hour'],
    ['{ value: 1, unit: days }', 'every day'],
    ['{ value: 8, unit: hours }', 'every 8 hours'],
  ])('a sign-in frequency of %s as "%s"', (sif, words) => {
    const r = reviewOf('includeUsers: [All]', `excludeUsers: [${BREAK_GLASS}]`, `signInFrequency: ${sif}`);
    expect(r.sentence).toContain(`sign in again ${words}`);
    expect(r.rows['Sign-in frequency']).toMatch(new RegExp(`^${words};`));
    expect(r.text).not.toMatch(/every 1 (hours|days)/);
  });
});

describe('the table says what the sentence says', () => {
  const policies: [string, string[]][] = [
    ['admins', ['preset: requirePhishingResistantMfaForAdmins']],
    ['security info', ['preset: requireMfaForSecurityInfoRegistration']],
    ['guests', ['includeGuestsOrExternalUsers: { types: [internalGuest, otherExternalUser] }', 'includeApplications: [Office365]']],
    [
      'roles and guests',
      [
        'includeRoles: [29232cdf-9323-42fd-ade2-1d097af3e4de]',
        'includeGuestsOrExternalUsers: { types: [b2bDirectConnectUser] }',
        'excludeRoles: [d29b2b05-8046-44ba-8758-1e26182fcf32]',
      ],
    ],
    ['devices', ['includeUsers: [All]', `excludeUsers: [${BREAK_GLASS}]`, 'includeUserActions: [registerOrJoinDevices]']],
  ];
  const words = [
    ...Object.values(GUEST_OR_EXTERNAL_USER_TYPE_WORDS),
    ...Object.values(USER_ACTION_WORDS),
    ...ADMINISTRATOR_ROLES,
    'Exchange Administrator',
    'Directory Synchronization Accounts',
  ];

  it.each(policies)('%s: every role, user action and guest type named in one is named in the other', (_name, lines) => {
    const r = reviewOf(...lines);
    const table = Object.values(r.rows).join(' ');
    const inSentence = words.filter((w) => r.sentence.includes(w));
    const inTable = words.filter((w) => table.includes(w));
    expect(inSentence.length).toBeGreaterThan(0);
    expect(inTable).toEqual(inSentence);
  });
});
