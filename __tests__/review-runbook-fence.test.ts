// The review shows the Exchange Online runbook people paste from the pull-request comment: it must be
// byte for byte the runbook the stack outputs, in a fence no content can close. Checked with the
// reference CommonMark parser (commonmark.js 0.31, the spec's own implementation): the code blocks it
// finds in the review are compared with the `exchange_online_runbook` output of cdk.tf.json.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runReviewInProcess, runSynthInProcess, workdir } from '../test-support/cli';
import { code, fencedBlock, joinMarkdown, md } from '../lib/review/words';

// commonmark ships no types: the two calls used here.
interface MdNode {
  readonly type: string;
  readonly literal: string | null;
}
interface MdWalker {
  next(): { entering: boolean; node: MdNode } | null;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const commonmark = require('commonmark') as { Parser: new () => { parse(text: string): { walker(): MdWalker } } };

function nodes(markdown: string, type: string): string[] {
  const walker = new commonmark.Parser().parse(markdown).walker();
  const out: string[] = [];
  for (let e = walker.next(); e; e = walker.next()) if (e.entering && e.node.type === type) out.push(e.node.literal ?? '');
  return out;
}

const config = (displayName: string) =>
  [
    'environments:',
    '  prod:',
    '    application:',
    `      displayName: ${JSON.stringify(displayName)}`,
    '      mail: { flow: app-only, mailboxes: [helpdesk@example.com] }',
    '',
  ].join('\n');

const ticks = (n: number) => '`'.repeat(n);
const STATEMENT = '; Remove-Mailbox -Identity boss -Confirm:0 ;';
const HOSTILE = [
  `Mail ${ticks(3)} ${STATEMENT} ${ticks(1)}`,
  ...[3, 4, 5, 6, 7, 8, 9, 10].map((n) => `x${ticks(n)} ' ${STATEMENT} '${ticks(n)}`),
  `${ticks(3)}powershell`,
  `~~~ ${STATEMENT} ~~~~~~~~~~`,
  `' ${STATEMENT} '`,
  `\u2019 ${STATEMENT} \u2018`,
  `${ticks(2)} $(Get-Date) \`n "double" ${ticks(2)}`,
];

describe('the review shows the runbook as the stack outputs it', () => {
  it.each(HOSTILE)('display name %j: the one code block of the review is the runbook output, byte for byte', (name) => {
    const dir = workdir({ 'c.yaml': config(name) });
    const synth = runSynthInProcess(dir, ['--config', 'c.yaml']);
    expect(synth.status).toBe(0);
    const json = JSON.parse(readFileSync(join(dir, 'cdktf.out', 'stacks', 'prod', 'cdk.tf.json'), 'utf8')) as { output: Record<string, { value: unknown }> };
    const runbook = json.output.exchange_online_runbook.value as string;
    expect(runbook).toContain(name.replace(/['\u2018\u2019]/g, (q) => q + q));

    const r = runReviewInProcess(dir, ['--config', 'c.yaml']);
    expect(r.status).toBe(0);
    const review = readFileSync(join(dir, 'review', 'prod.md'), 'utf8');
    expect(nodes(review, 'code_block')).toEqual([runbook]);
    // No statement of the name leaks out of the block into the review's own markdown as code.
    expect(nodes(review, 'code').filter((c) => c.includes('Remove-Mailbox'))).toEqual([]);
  });

  it('refuses line breaks in the display name before any runbook is written', () => {
    for (const name of [`a\r\n${ticks(3)}\r\nRemove-Mailbox boss`, `a\n${ticks(3)}`, `a\r~~~`]) {
      const dir = workdir({ 'c.yaml': config(name) });
      const r = runSynthInProcess(dir, ['--config', 'c.yaml']);
      expect(r.status).not.toBe(0);
      expect(r.stderr).toContain('application.displayName');
    }
  });
});

describe('fencedBlock and code', () => {
  const CONTENTS = [
    ...[0, 1, 2, 3, 4, 5, 10].map((n) => `a${ticks(n)}b\n${ticks(n)}\n`),
    `~~~\n~~~~~\n${ticks(3)}~~~\n`,
    'line\r\n```\r\nRemove-Mailbox\r\n',
    'cr only\r```\rmore',
    'no newline at the end ````',
    '\n\n\n\nblank lines kept\n\n\n',
    '    indented\n\t```\n   ```\n',
  ];

  it.each(CONTENTS)('a fenced block holds %j byte for byte', (text) => {
    const block = fencedBlock(text);
    const doc = joinMarkdown(['before', '', block, '', 'after `x`']);
    const expected = text.endsWith('\n') || text === '' ? text : `${text}\n`;
    // CommonMark reads a lone CR and CR LF as line endings and gives them back as LF.
    expect(nodes(doc, 'code_block')).toEqual([expected.replace(/\r\n?/g, '\n')]);
    expect(doc).toContain(`\n${text}`);
    expect(nodes(doc, 'paragraph').length).toBe(2);
    expect(nodes(doc, 'text')).toEqual(['before', 'after ']);
  });

  it.each(['a`b', '`lead', 'trail`', '``', ' two spaces ', 'a ```` b', '```'])('inline code shows %j as it is', (text) => {
    expect(nodes(`x ${code(text)} y`, 'code')).toEqual([text]);
  });

  it('writes a line break in inline code as the space CommonMark renders, so no value starts a block of its own', () => {
    const doc = `- item ${code('a\n# heading\r\n```\n| t |')} end`;
    expect(nodes(doc, 'code')).toEqual(['a # heading ``` | t |']);
    expect(nodes(doc, 'heading')).toEqual([]);
    expect(nodes(doc, 'code_block')).toEqual([]);
  });

  it('keeps text (md) in its paragraph whatever line ending it holds, a lone CR included', () => {
    const doc = `- item ${md('a\r# heading\n```\r\n| t |')} end`;
    expect(nodes(doc, 'heading')).toEqual([]);
    expect(nodes(doc, 'code_block')).toEqual([]);
    expect(nodes(doc, 'paragraph')).toHaveLength(1);
  });
});
