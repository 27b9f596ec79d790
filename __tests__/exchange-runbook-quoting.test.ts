import { ItsmMailApplication } from '../lib/application/itsm-mail-application';
import { addApplicationOutputs } from '../lib/application/application-outputs';
import { tokenizeLine, type PsToken } from '../test-support/powershell-tokens';
import { synthStack } from '../test-support/synth';

/*
 * The Exchange Online runbook is PowerShell an Exchange administrator runs. Every value from the
 * config must stay one string argument: PowerShell ends a single-quoted string at any of ' ‘ ’ ‚ ‛,
 * so a display name with a typographic apostrophe must neither break the script nor append a command.
 */

function runbook(displayName: string): string[] {
  const json = synthStack((stack) => {
    const app = new ItsmMailApplication(stack, 'itsm-mail', {
      displayName,
      mail: { flow: 'app-only', protocols: ['imap', 'smtp'], mailboxes: ["o'brien@contoso.com", 'helpdesk@contoso.com'] },
    });
    addApplicationOutputs(stack, app);
  });
  return (json.output!.exchange_online_runbook.value as string).split('\n').filter((l) => l.trim() !== '');
}

const QUOTES = ["'", '\u2018', '\u2019', '\u201A', '\u201B'];
const HOSTILE = [
  ...QUOTES.map((q) => `O${q}Brien mail`),
  ...QUOTES.map((q) => `x${q}; Remove-Mailbox -Identity helpdesk@contoso.com -Confirm:$false; ${q}`),
  ...QUOTES.map((q) => `${q}${q}${q}`),
  `mixed ${QUOTES.join('')} end`,
  'dollar $env:USER $(Get-Date) `n "double"',
];

const strings = (tokens: PsToken[]) => tokens.filter((t) => t.kind === 'single').map((t) => t.text);

describe('Exchange Online runbook quoting', () => {
  it.each(HOSTILE)('keeps %j one literal argument on every line', (name) => {
    for (const line of runbook(name)) {
      const tokens = tokenizeLine(line);
      // No line gains a second statement.
      expect({ line, separators: tokens.filter((t) => t.kind === 'separator') }).toEqual({ line, separators: [] });
      if (tokens[0]?.kind === 'comment') continue;
      // The cmdlet is the first word, and every argument is a parameter, a literal or a reference.
      expect(tokens[0]).toMatchObject({ kind: 'word', text: expect.stringMatching(/^[A-Z][a-z]+-[A-Za-z]+$/) });
    }
    const lines = runbook(name);
    const registration = tokenizeLine(lines.find((l) => l.startsWith('New-ServicePrincipal'))!);
    expect(strings(registration)).toEqual([name]);
    const scope = tokenizeLine(lines.find((l) => l.startsWith('New-ManagementScope'))!);
    expect(strings(scope)).toEqual([`${name} mailboxes`, "PrimarySmtpAddress -eq 'o''brien@contoso.com' -or PrimarySmtpAddress -eq 'helpdesk@contoso.com'"]);
  });

  it('quotes mailbox addresses with an apostrophe for PowerShell and, inside the filter, for OPATH', () => {
    const set = tokenizeLine(runbook('ITSM').find((l) => l.startsWith("Set-CASMailbox -Identity 'o"))!);
    expect(strings(set)).toEqual(["o'brien@contoso.com"]);
  });
});
