import { ipRangeProblem } from '../lib/model/named-location';

/*
 * Hostile and mistaken configs of the features added after hostile-configs.test.ts: tenants and
 * their policy sets, named locations, import sections and adopt --write. Each case goes through the
 * loader, the review or the writer as a user meets them.
 */


describe('named location IP ranges the provider refuses, or that Graph stores otherwise', () => {
  it.each([
    ['a prefix length with a leading zero', '10.0.0.0/08', /"10\.0\.0\.0\/08": write the prefix length without a leading zero, 10\.0\.0\.0\/8/],
    ['a prefix length of 032', '203.0.113.10/032', /write the prefix length without a leading zero, 203\.0\.113\.10\/32/],
  ])('refuses %s (Go netip.ParsePrefix, which the provider validates with, refuses it)', (_name, range, expected) => {
    expect(ipRangeProblem(range)).toMatch(expected);
  });
  it.each([
    ['leading zeros in an IPv6 group', '2001:0db8:0001::/48', '2001:db8:1::/48'],
    ['zero groups not shortened', '2001:db8:0:0:0:0:0:0/64', '2001:db8::/64'],
    ['an IPv4-mapped IPv6 address', '::ffff:192.0.2.1/128', '::ffff:c000:201/128'],
  ])('names %s as another way of writing the range, not as host bits', (_name, range, canonical) => {
    const problem = ipRangeProblem(range);
    expect(problem).toContain(`write it as ${canonical}`);
    expect(problem).not.toMatch(/host bits/);
  });
  it('still names host bits as such', () => {
    expect(ipRangeProblem('2001:db8::1/48')).toMatch(/has host bits set: write the network address, 2001:db8::\/48/);
  });
});
