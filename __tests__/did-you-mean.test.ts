import { didYouMean, levenshtein } from '../lib/private/did-you-mean';

describe('didYouMean', () => {
  describe('given a name that differs only in casing', () => {
    it('suggests the correctly cased candidate even when another candidate is closer case-sensitively', () => {
      // "mail.read" is one edit from "mail.reads" but only a casing away from "Mail.Read".
      expect(didYouMean('mail.read', ['mail.reads', 'Mail.Read', 'Mail.Send'])).toBe('Mail.Read');
    });

    it('picks the same candidate whatever the order when several match ignoring case', () => {
      expect(didYouMean('FOO', ['foo', 'Foo'])).toBe('Foo');
      expect(didYouMean('FOO', ['Foo', 'foo'])).toBe('Foo');
    });
  });

  describe('given a typo', () => {
    it('suggests the candidate for a transposition', () => {
      expect(didYouMean('Mail.Raed', ['Mail.Read', 'Mail.Send', 'User.Read'])).toBe('Mail.Read');
    });

    it('suggests the candidate for a missing character', () => {
      expect(didYouMean('offline_acess', ['offline_access', 'openid', 'profile'])).toBe('offline_access');
    });

    it('compares ignoring case when measuring the distance', () => {
      expect(didYouMean('imap.accessasap', ['IMAP.AccessAsApp', 'POP.AccessAsApp'])).toBe('IMAP.AccessAsApp');
    });

    it('prefers the nearest candidate', () => {
      expect(didYouMean('Mail.Sent', ['Mail.Read', 'Mail.Send'])).toBe('Mail.Send');
    });
  });

  describe('given candidates at equal distance', () => {
    it('prefers the smaller case-sensitive distance', () => {
      expect(didYouMean('mail.reed', ['Mail.Read', 'mail.read'])).toBe('mail.read');
      expect(didYouMean('Mail.Reed', ['mail.read', 'Mail.Read'])).toBe('Mail.Read');
    });

    it('falls back to the lexicographically smaller one, independent of the order given', () => {
      expect(didYouMean('cat', ['hat', 'bat'])).toBe('bat');
      expect(didYouMean('cat', ['bat', 'hat'])).toBe('bat');
    });
  });

  describe('threshold', () => {
    it('accepts up to a third of the length in edits for long names', () => {
      expect(didYouMean('abcdefghi', ['abcdefXYZ'])).toBe('abcdefXYZ'); // 3 edits, length 9
      expect(didYouMean('abcdefghi', ['abcdeWXYZ'])).toBeUndefined(); // 4 edits
    });

    it('accepts two edits for names of moderate length', () => {
      expect(didYouMean('abcdef', ['abcdXY'])).toBe('abcdXY');
      expect(didYouMean('abcdef', ['abcXYZ'])).toBeUndefined();
    });

    it('never suggests a completely different short name', () => {
      expect(didYouMean('x', ['y'])).toBeUndefined();
      expect(didYouMean('ab', ['xy'])).toBeUndefined();
      expect(didYouMean('ab', ['ac'])).toBe('ac');
    });

    it('returns undefined when nothing is close', () => {
      expect(didYouMean('Calendars.ReadWrite', ['Mail.Read', 'User.Read'])).toBeUndefined();
    });
  });

  describe('edge cases', () => {
    it('returns undefined when the input is itself a candidate', () => {
      expect(didYouMean('Mail.Read', ['Mail.Read', 'mail.read'])).toBeUndefined();
    });

    it('returns undefined for an empty input or no candidates', () => {
      expect(didYouMean('', ['a', 'b'])).toBeUndefined();
      expect(didYouMean('Mail.Read', [])).toBeUndefined();
    });

    it('accepts any iterable of candidates, including a one-shot generator', () => {
      function* names(): Generator<string> {
        yield 'Mail.Send';
        yield 'Mail.Read';
      }
      expect(didYouMean('Mail.Raed', names())).toBe('Mail.Read');
      expect(didYouMean('Mail.Raed', new Set(['Mail.Read']))).toBe('Mail.Read');
      expect(didYouMean('Mail.Raed', new Map([['Mail.Read', 1]]).keys())).toBe('Mail.Read');
    });
  });
});

describe('levenshtein', () => {
  it('counts insertions, deletions and substitutions', () => {
    expect(levenshtein('kitten', 'sitting')).toBe(3);
    expect(levenshtein('', 'abc')).toBe(3);
    expect(levenshtein('abc', '')).toBe(3);
    expect(levenshtein('same', 'same')).toBe(0);
    expect(levenshtein('Read', 'Raed')).toBe(2);
  });

  it('is symmetric', () => {
    expect(levenshtein('Mail.ReadWrite', 'Mail.Read')).toBe(levenshtein('Mail.Read', 'Mail.ReadWrite'));
  });

  it('stops early and returns bound + 1 when the distance exceeds the bound', () => {
    expect(levenshtein('kitten', 'sitting', 1)).toBe(2);
    expect(levenshtein('a', 'abcdef', 2)).toBe(3);
    expect(levenshtein('kitten', 'sitting', 3)).toBe(3);
  });
});
