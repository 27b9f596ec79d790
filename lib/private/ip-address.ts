import { isIP } from 'node:net';

/** 4 or 6 when `text` is an IPv4 or IPv6 address as Node's parser reads it (no zone index), else 0. */
export function ipVersion(text: string): 0 | 4 | 6 {
  if (text.includes('%')) return 0;
  const v = isIP(text);
  return v === 4 || v === 6 ? v : 0;
}
