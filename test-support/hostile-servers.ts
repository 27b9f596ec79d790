import type { ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, type TLSSocket } from 'node:tls';
import type { TestPki } from './verify-pki';

/**
 * Loopback servers the verify tests own that misbehave on purpose: they keep talking (endless
 * continuation or untagged lines, a line without an end), drip, stay silent, or echo the
 * credentials back in pieces. Each stops writing when its client goes away, so nothing outlives a
 * test. They are NOT models of a real server: only of what verify must survive.
 */
export interface Hostile {
  readonly port: number;
  readonly host: string;
  /** Lines the client sent (XOAUTH2 blobs included: the echo servers need them). */
  readonly received: string[];
  close(): Promise<void>;
}

export type Conn = Socket | TLSSocket;

/**
 * Writes `line` forever (as fast as the client reads, or one every `everyMs`) until the connection
 * ends. At most 64 KiB per turn of the event loop: the tests' own servers share the process with
 * the rest of the rig and must not starve it.
 */
export function flood(s: Conn | ServerResponse, line: (n: number) => string, everyMs = 0): void {
  let n = 0;
  let stopped = false;
  s.on('close', () => (stopped = true));
  s.on('error', () => (stopped = true));
  const pump = (): void => {
    if (stopped) return;
    if (everyMs > 0) {
      s.write(line(n++));
      setTimeout(pump, everyMs);
      return;
    }
    let sent = 0;
    while (!stopped && sent < 64 * 1024) {
      const l = line(n++);
      sent += l.length;
      if (!s.write(l)) {
        s.once('drain', pump);
        return;
      }
    }
    setImmediate(pump);
  };
  pump();
}

function onLines(s: Conn, each: (l: string) => void): void {
  let buf = '';
  s.on('data', (d: Buffer) => {
    buf += d.toString('utf8');
    let i: number;
    while ((i = buf.indexOf('\r\n')) >= 0) {
      const l = buf.slice(0, i);
      buf = buf.slice(i + 2);
      each(l);
    }
  });
  s.on('error', () => undefined);
}

async function listen(server: Server, host: string): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return (server.address() as AddressInfo).port;
}

function handle(server: Server, host: string, port: number, received: string[], open: Set<Conn>): Hostile {
  return {
    port,
    host,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of open) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * A mail server on implicit TLS (IMAPS, POP3S) or plain TCP (SMTP before STARTTLS): `greet` runs on
 * connect, `answer` on each line the client sends. `host` other than 127.0.0.1 serves the same
 * certificate (localhost, 127.0.0.1) under a name it does not carry.
 */
export async function startHostile(
  pki: TestPki,
  o: {
    readonly tls: boolean;
    readonly host?: string;
    readonly greet: (s: Conn) => void;
    readonly answer?: (s: Conn, line: string, received: string[]) => void;
  },
): Promise<Hostile> {
  const received: string[] = [];
  const open = new Set<Conn>();
  const host = o.host ?? '127.0.0.1';
  const onConnect = (s: Conn) => {
    open.add(s);
    s.on('close', () => open.delete(s));
    s.on('error', () => undefined);
    o.greet(s);
    onLines(s, (l) => {
      received.push(l);
      o.answer?.(s, l, received);
    });
  };
  const server = o.tls ? createTlsServer({ cert: pki.serverCert, key: pki.serverKey }, onConnect) : createServer(onConnect);
  return handle(server, host, await listen(server, host), received, open);
}

/**
 * An HTTPS endpoint that serves the cloud metadata document (pointing the login endpoint at itself,
 * as ARM_METADATA_HOSTNAME would) and misbehaves on the token request: `endless` streams a body
 * forever, `silent` accepts and never answers, `drip` sends a byte of JSON every 50 ms.
 */
export async function startHostileTokenEndpoint(pki: TestPki, mode: 'endless' | 'silent' | 'drip'): Promise<Hostile & { readonly metadataHost: string }> {
  const open = new Set<Conn>();
  const received: string[] = [];
  let port = 0;
  const server: HttpsServer = createHttpsServer({ cert: pki.serverCert, key: pki.serverKey }, (req, res) => {
    received.push(`${req.method} ${req.url}`);
    if (req.method === 'GET' && req.url?.startsWith('/metadata/endpoints')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ authentication: { loginEndpoint: `https://127.0.0.1:${port}` }, microsoftGraphResourceId: 'https://graph.microsoft.com' }));
      return;
    }
    req.resume();
    req.on('end', () => {
      if (mode === 'silent') return;
      res.writeHead(200, { 'content-type': 'application/json' });
      if (mode === 'endless') flood(res, () => `${'{"padding":"'.padEnd(4096, 'x')}",`);
      else flood(res, () => ' ', 50);
    });
  });
  server.on('connection', (s: Socket) => {
    open.add(s);
    s.on('close', () => open.delete(s));
    s.on('error', () => undefined);
  });
  server.on('tlsClientError', () => undefined);
  port = await listen(server as unknown as Server, '127.0.0.1');
  return { ...handle(server as unknown as Server, '127.0.0.1', port, received, open), metadataHost: `127.0.0.1:${port}` };
}

/** The XOAUTH2 blob of a line (`a1 AUTHENTICATE XOAUTH2 <blob>`, or a line that is only the blob), decoded. */
export function decodedBlob(line: string): { readonly blob: string; readonly user: string; readonly token: string } | undefined {
  const blob = /(?:^|\s)([A-Za-z0-9+/]{40,}={0,2})$/.exec(line)?.[1];
  if (!blob) return undefined;
  const m = /^user=([^\x01]*)\x01auth=Bearer ([^\x01]*)\x01\x01$/.exec(Buffer.from(blob, 'base64').toString('utf8'));
  return m ? { blob, user: m[1], token: m[2] } : undefined;
}

/** `text` cut into pieces of `n` characters. */
export function pieces(text: string, n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += n) out.push(text.slice(i, i + n));
  return out;
}

/** How an echo server quotes the credentials back (the token of the XOAUTH2 blob, or the blob itself). */
export type EchoMode = 'token-pieces' | 'blob-pieces' | 'url-pieces' | 'upper-pieces' | 'interleaved' | 'split-lines';

/** The echoed text for a blob, as one string (pieces separated by spaces) or, for `split-lines`, one piece per line. */
export function echoOf(mode: EchoMode, b: { readonly blob: string; readonly token: string }): string[] {
  switch (mode) {
    case 'token-pieces':
      return [pieces(b.token, 40).join(' ')];
    case 'blob-pieces':
      return [pieces(b.blob, 50).join(' ')];
    case 'url-pieces':
      return [pieces(encodeURIComponent(b.token), 30).join(' ')];
    case 'upper-pieces':
      return [pieces(b.token.toUpperCase(), 30).join(' ')];
    case 'interleaved':
      // Seven characters of the token, then one other letter: no eight in a row are the token's.
      return [pieces(b.token, 7).join(' q ')];
    case 'split-lines':
      return pieces(b.token, 60);
  }
}

/**
 * IMAPS, POP3S or SMTPS (implicit TLS) servers that refuse the XOAUTH2 login and quote the token
 * back in the refusal, cut into pieces (`mode`). Everything else is answered as a server would.
 */
export async function startEchoServer(pki: TestPki, protocol: 'imap' | 'pop' | 'smtp', mode: EchoMode): Promise<Hostile> {
  const refuse = (s: Conn, l: string, prefix: (last: boolean) => string): boolean => {
    const b = decodedBlob(l);
    if (!b) return false;
    const parts = echoOf(mode, b);
    parts.forEach((p, i) => {
      say(s, `${prefix(i === parts.length - 1)}${p}`);
    });
    return true;
  };
  if (protocol === 'imap') {
    return startHostile(pki, {
      tls: true,
      greet: (s) => say(s, '* OK IMAP ready'),
      answer: (s, l) => {
        const [tag, verb = ''] = l.split(' ');
        if (/^CAPABILITY$/i.test(verb)) {
          say(s, '* CAPABILITY IMAP4rev1 AUTH=XOAUTH2 SASL-IR');
          say(s, `${tag} OK CAPABILITY completed.`);
        } else if (/^AUTHENTICATE$/i.test(verb)) {
          // Pieces on one tagged line: IMAP has no continuation lines for a tagged answer.
          const b = decodedBlob(l);
          say(s, `${tag} NO [AUTHENTICATIONFAILED] rejected ${b ? echoOf(mode, b).join(' ') : ''}`);
        } else if (/^LOGOUT$/i.test(verb)) s.end(`${tag} OK bye\r\n`);
        else say(s, `${tag} BAD unexpected`);
      },
    });
  }
  if (protocol === 'pop') {
    return startHostile(pki, {
      tls: true,
      greet: (s) => say(s, '+OK POP3 ready'),
      answer: (s, l) => {
        if (l === 'CAPA') for (const x of ['+OK', 'SASL XOAUTH2', '.']) say(s, x);
        else if (/^AUTH XOAUTH2$/i.test(l)) say(s, '+ ');
        else if (decodedBlob(l)) {
          const b = decodedBlob(l)!;
          say(s, `-ERR [AUTH] rejected ${echoOf(mode, b).join(' ')}`);
        } else if (l === 'QUIT') s.end('+OK\r\n');
        else say(s, '-ERR unexpected');
      },
    });
  }
  return startHostile(pki, {
    tls: true,
    greet: (s) => say(s, '220 smtp.example.test ESMTP'),
    answer: (s, l) => {
      if (/^EHLO/i.test(l)) {
        say(s, '250-smtp.example.test');
        say(s, '250 AUTH XOAUTH2');
      } else if (/^AUTH XOAUTH2$/i.test(l)) say(s, '334 ');
      else if (refuse(s, l, (last) => (last ? '535 5.7.8 ' : '535-5.7.8 '))) return;
      else if (/^QUIT/i.test(l)) s.end('221 bye\r\n');
      else say(s, '500 unexpected');
    },
  });
}

function say(s: Conn, l: string): void {
  s.write(`${l}\r\n`);
}
