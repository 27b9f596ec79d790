import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import type { TestPki } from './verify-pki';
import { CAS_DISABLED, EXO, EXO_DELEGATED, MAILBOXES, type TestWorld } from './verify-world';

/**
 * A real mail server on loopback for the verify tests: Dovecot 2.3 from Debian (dovecot-core,
 * -imapd, -pop3d, -submissiond, -auth-lua) with IMAPS, POP3S and SMTP submission (STARTTLS), taking
 * XOAUTH2 with JWTs it validates locally (passdb oauth2: signature, exp/nbf, issuer), plus a Lua
 * passdb that applies what Exchange Online checks (audience, scp or roles per protocol, the token's
 * user for delegated tokens, New-ServicePrincipal and mailbox permissions for app-only ones) from
 * the test world. Submission relays to an SMTP sink in the test process.
 *
 * Every file is in a temp folder; ports are picked free; the instance is stopped (process group)
 * at the end. Research and measurements: docs/verify.md, "The test peers".
 */

/** The files the peer needs, from the Debian packages. */
const NEEDS: readonly [string, string][] = [
  ['/usr/sbin/dovecot', 'dovecot-core'],
  ['/usr/lib/dovecot/imap-login', 'dovecot-imapd'],
  ['/usr/lib/dovecot/pop3-login', 'dovecot-pop3d'],
  ['/usr/lib/dovecot/submission-login', 'dovecot-submissiond'],
  ['/usr/lib/dovecot/modules/auth/libauthdb_lua.so', 'dovecot-auth-lua'],
];

export const PEER_PACKAGES = 'dovecot-core dovecot-imapd dovecot-pop3d dovecot-submissiond dovecot-auth-lua openssl';

/** Whether the peer can run here; the reason (missing packages) when not. */
export function mailPeerSupport(): { ok: true } | { ok: false; reason: string } {
  const missing = NEEDS.filter(([f]) => !existsSync(f)).map(([, pkg]) => pkg);
  if (spawnSync('openssl', ['version']).status !== 0) missing.push('openssl');
  if (missing.length > 0) {
    return {
      ok: false,
      reason: `the mail test peer needs the Debian packages ${[...new Set(missing)].join(' ')} (apt-get install -y --no-install-recommends ${PEER_PACKAGES}; .ci/run does it)`,
    };
  }
  return { ok: true };
}

/**
 * Registers the suites that need the peer, or, when it cannot run: skips them with the reason, or
 * fails when ITSM_MAIL_REQUIRE_PEERS=1 (CI), so a missing package never passes as green.
 */
export function describeWithPeers(name: string, body: () => void): void {
  const support = mailPeerSupport();
  if (support.ok) {
    describe(name, body);
    return;
  }
  if (process.env.ITSM_MAIL_REQUIRE_PEERS === '1') {
    describe(name, () => {
      it('has the mail test peer installed (ITSM_MAIL_REQUIRE_PEERS=1)', () => {
        throw new Error(support.reason);
      });
    });
    return;
  }
  describe(name, () => {
    it.skip(`skipped: ${support.reason}; set ITSM_MAIL_REQUIRE_PEERS=1 to fail instead`, () => undefined);
  });
  // Once per suite file, so a skipped run says why.
  process.stderr.write(`${name}: skipped: ${support.reason}\n`);
}

export interface SinkMessage {
  readonly from: string;
  readonly to: readonly string[];
  readonly data: string;
}

export interface MailPeer {
  readonly host: '127.0.0.1';
  readonly imapPort: number;
  readonly popPort: number;
  readonly smtpPort: number;
  /** Messages that reached the relay behind submission. */
  readonly delivered: SinkMessage[];
  /** Stop the relay (submission then answers 421 at MAIL FROM); start it again with `relayUp`. */
  relayDown(): Promise<void>;
  relayUp(): Promise<void>;
  readonly dir: string;
  log(): string;
  stop(): Promise<void>;
}

/**
 * Free ports for the peer, below Linux's ephemeral range (32768-60999). Between this check and
 * Dovecot's bind, and while the relay is down (relayDown frees its port), a port taken with
 * listen(0) could be handed to another suite's loopback server running in parallel; Dovecot would
 * then reach that server as its relay and drop the client without the 421 the test expects. No
 * listen(0) ever gets a port below the ephemeral range.
 */
async function freePorts(n: number): Promise<number[]> {
  const servers: Server[] = [];
  const ports: number[] = [];
  while (ports.length < n) {
    const port = 20000 + Math.floor(Math.random() * 12000);
    if (ports.includes(port)) continue;
    const s = createServer();
    const bound = await new Promise<boolean>((resolve) => {
      s.once('error', () => resolve(false));
      s.listen(port, '127.0.0.1', () => resolve(true));
    });
    if (!bound) continue;
    servers.push(s);
    ports.push(port);
  }
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s: Socket = connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/** A tiny SMTP server that accepts everything except recipients containing "reject", and keeps what it got. */
function startSink(port: number, delivered: SinkMessage[]): Promise<Server> {
  const srv = createServer((s) => {
    let buf = '';
    let inData = false;
    let data: string[] = [];
    let from = '';
    let to: string[] = [];
    const say = (l: string) => s.write(`${l}\r\n`);
    say('220 sink.localhost ESMTP verify-test-sink');
    s.on('data', (d) => {
      buf += d.toString('utf8');
      let i: number;
      while ((i = buf.indexOf('\r\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 2);
        if (inData) {
          if (line === '.') {
            inData = false;
            delivered.push({ from, to, data: data.join('\n') });
            say('250 2.0.0 Ok: queued as SINK1');
          } else data.push(line.startsWith('..') ? line.slice(1) : line);
          continue;
        }
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO') s.write('250-sink.localhost\r\n250-PIPELINING\r\n250-8BITMIME\r\n250-ENHANCEDSTATUSCODES\r\n250 SMTPUTF8\r\n');
        else if (verb === 'HELO') say('250 sink.localhost');
        else if (verb === 'MAIL') {
          from = /<([^>]*)>/.exec(line)?.[1] ?? '';
          to = [];
          say('250 2.1.0 Ok');
        } else if (verb === 'RCPT') {
          if (/reject/i.test(line)) say('550 5.1.1 Recipient address rejected (sink)');
          else {
            to.push(/<([^>]*)>/.exec(line)?.[1] ?? '');
            say('250 2.1.5 Ok');
          }
        } else if (verb === 'DATA') {
          inData = true;
          data = [];
          say('354 End data with <CR><LF>.<CR><LF>');
        } else if (verb === 'RSET' || verb === 'NOOP') say('250 2.0.0 Ok');
        else if (verb === 'QUIT') {
          say('221 2.0.0 Bye');
          s.end();
        } else say('502 5.5.2 Error: command not recognized');
      }
    });
    s.on('error', () => undefined);
  });
  return new Promise((resolve) => srv.listen(port, '127.0.0.1', () => resolve(srv)));
}

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/@([A-Z_]+)@/g, (m, k: string) => {
    if (!(k in values)) throw new Error(`no value for ${m}`);
    return values[k];
  });
}

const lua = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/** The test world as a Lua table for claims.lua: what Exchange Online knows about each app. */
function worldLua(world: TestWorld): string {
  const apps = Object.values(world.apps);
  const set = (items: readonly string[]) => `{ ${items.map((i) => `[${lua(i.toLowerCase())}] = true`).join(', ')} }`;
  return [
    '-- generated by test-support/mail-peer.ts from the test world',
    'return {',
    `  audiences = ${set([EXO, EXO_DELEGATED, '00000002-0000-0ff1-ce00-000000000000'])},`,
    `  exchange_sps = ${set(apps.filter((a) => a.exchangeRegistered).map((a) => a.spObjectId))},`,
    `  mailbox_grants = { ${apps.map((a) => `[${lua(a.spObjectId)}] = ${set(a.mailboxGrants)}`).join(', ')} },`,
    `  smtp_rbac = { ${apps.map((a) => `[${lua(a.spObjectId)}] = ${set(a.smtpRbac)}`).join(', ')} },`,
    `  cas_disabled = { ${Object.entries(CAS_DISABLED)
      .map(([m, ps]) => `[${lua(m.toLowerCase())}] = ${set(ps.map((p) => ({ imap: 'imap', pop: 'pop3', smtp: 'submission' })[p]))}`)
      .join(', ')} },`,
    '}',
    '',
  ].join('\n');
}

export async function startMailPeer(pki: TestPki, world: TestWorld): Promise<MailPeer> {
  const root = process.getuid?.() === 0;
  const me = userInfo();
  const dir = join(pki.dir, 'peer');
  const run = (...p: string[]) => join(dir, ...p);
  rmSync(dir, { recursive: true, force: true });
  for (const d of ['', 'base', 'state', 'log', 'conf', 'keys/default/RS256', 'mail']) mkdirSync(run(d), { recursive: true, mode: 0o755 });
  const [imapPort, popPort, smtpPort, sinkPort] = await freePorts(4);
  // Dovecot's key dict: <prefix>/<azp or "default">/<alg>/<kid>, a PEM public key.
  writeFileSync(run('keys/default/RS256', pki.jwtKeyId), pki.jwtPublicKey, { mode: 0o644 });
  writeFileSync(run('conf', 'world.lua'), worldLua(world), { mode: 0o644 });
  writeFileSync(run('conf', 'claims.lua'), CLAIMS_LUA.replace('@WORLD@', lua(run('conf', 'world.lua'))), { mode: 0o644 });
  writeFileSync(
    run('conf', 'oauth2.conf.ext'),
    [
      '# passdb oauth2: local JWT validation (signature, typ, sub, exp/nbf/iat, iss); no network',
      'introspection_mode = local',
      `local_validation_key_dict = fs:posix:prefix=${run('keys')}/`,
      `issuers = https://sts.windows.net/${world.tenant}/`,
      '# Entra ID app-only tokens name no user, so the user is not compared here (a constant on both',
      "# sides): claims.lua compares the delegated token's upn with the login name instead.",
      'username_attribute = tid',
      'username_format = any',
      '# no `scope`: Entra ID tokens carry scp/roles, never `scope` (and its meaning changed in deb12u7)',
      '',
    ].join('\n'),
    { mode: 0o644 },
  );
  const internalUser = root ? 'dovecot' : me.username;
  const loginUser = root ? 'dovenull' : me.username;
  const internalGroup = root ? 'dovecot' : spawnSync('id', ['-gn'], { encoding: 'utf8' }).stdout.trim();
  // Mail homes: only the listed mailboxes exist; the parent is not writable for Dovecot, so any
  // other user authenticates but has no mailbox (as a user without an Exchange Online licence).
  for (const m of MAILBOXES) {
    mkdirSync(run('mail', m), { mode: 0o700 });
    if (root) {
      const ids = spawnSync('id', ['-u', 'dovecot'], { encoding: 'utf8' });
      const gid = spawnSync('id', ['-g', 'dovecot'], { encoding: 'utf8' });
      chownSync(run('mail', m), Number(ids.stdout.trim()), Number(gid.stdout.trim()));
    }
  }
  chmodSync(run('mail'), 0o555);
  writeFileSync(
    run('conf', 'dovecot.conf'),
    fill(DOVECOT_CONF, {
      RUN: dir,
      IMAP: String(imapPort),
      POP: String(popPort),
      SMTP: String(smtpPort),
      SINK: String(sinkPort),
      INTERNAL: internalUser,
      INTERNAL_GROUP: internalGroup,
      LOGIN: loginUser,
      CERT: pki.serverCertFile,
      KEY: pki.serverKeyFile,
      // Without root, nothing can chroot or change users: everything runs as the current user.
      CHROOT_LOGIN: root ? '' : '  chroot =\n',
      MAILUSER: root ? 'uid=dovecot gid=dovecot' : `uid=${me.uid} gid=${me.gid}`,
    }),
    { mode: 0o644 },
  );
  const delivered: SinkMessage[] = [];
  let sink: Server | undefined = await startSink(sinkPort, delivered);
  const child: ChildProcess = spawn('dovecot', ['-F', '-c', run('conf', 'dovecot.conf')], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const pid = child.pid!;
  // If the test process dies without afterAll, the whole process group goes with it.
  const killOnExit = () => {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  };
  process.once('exit', killOnExit);
  const log = () => {
    try {
      return `${output}${readFileSync(run('log', 'dovecot.log'), 'utf8')}`;
    } catch {
      return output;
    }
  };
  const stop = async () => {
    process.off('exit', killOnExit);
    if (child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-pid, 'SIGTERM');
      } catch {
        /* gone */
      }
      const timer = setTimeout(killOnExit, 4000);
      await exited;
      clearTimeout(timer);
    }
    // Stragglers of the group (login processes) go too.
    killOnExit();
    if (sink) await new Promise((resolve) => sink!.close(resolve));
    sink = undefined;
  };
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`dovecot exited with ${child.exitCode}:\n${log().slice(-3000)}`);
    }
    const open = await Promise.all([imapPort, popPort, smtpPort].map(portOpen));
    if (open.every(Boolean)) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`dovecot did not listen within 15 s:\n${log().slice(-3000)}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    host: '127.0.0.1',
    imapPort,
    popPort,
    smtpPort,
    delivered,
    dir,
    log,
    relayDown: async () => {
      if (sink) await new Promise((resolve) => sink!.close(resolve));
      sink = undefined;
    },
    relayUp: async () => {
      if (!sink) sink = await startSink(sinkPort, delivered);
    },
    stop,
  };
}

/** Dovecot 2.3.19 configuration (the prototype's, templated; comments say why each setting is there). */
const DOVECOT_CONF = `# verify test peer: IMAPS, POP3S, submission (STARTTLS) on 127.0.0.1, XOAUTH2 only
protocols = imap pop3 submission
listen = 127.0.0.1
instance_name = itsm-verify-peer
base_dir = @RUN@/base
state_dir = @RUN@/state
log_path = @RUN@/log/dovecot.log
info_log_path = @RUN@/log/dovecot.log
debug_log_path = @RUN@/log/dovecot.log
auth_verbose = yes
auth_verbose_passwords = no
auth_debug = yes

default_internal_user = @INTERNAL@
default_internal_group = @INTERNAL_GROUP@
default_login_user = @LOGIN@

ssl = required
ssl_cert = <@CERT@
ssl_key = <@KEY@
ssl_min_protocol = TLSv1.2
disable_plaintext_auth = yes

auth_mechanisms = xoauth2 oauthbearer
# Answer failures fast, and keep anvil's per-IP auth penalty (up to 15 s) from slowing later cases.
auth_failure_delay = 0
service anvil {
@CHROOT_LOGIN@  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
# Exchange Online user names are mail addresses.
auth_username_format = %Lu

# 1) JWT validation (signature by kid, typ, sub, exp/nbf/iat, issuer).
passdb {
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = @RUN@/conf/oauth2.conf.ext
  result_success = continue-ok
  result_failure = return-fail
  result_internalfail = return-fail
}
# 2) What Exchange Online checks (claims.lua).
passdb {
  driver = lua
  mechanisms = xoauth2 oauthbearer
  args = file=@RUN@/conf/claims.lua blocking=no
  result_success = return-ok
  result_failure = return-fail
  result_internalfail = return-fail
}
userdb {
  driver = static
  args = @MAILUSER@ home=@RUN@/mail/%u
}
first_valid_uid = 1
first_valid_gid = 1
mail_location = maildir:~/Maildir

hostname = localhost
submission_relay_host = 127.0.0.1
submission_relay_port = @SINK@
submission_relay_trusted = no
submission_relay_ssl = no

service imap-login {
@CHROOT_LOGIN@  inet_listener imap {
    port = 0
  }
  inet_listener imaps {
    port = @IMAP@
    ssl = yes
  }
}
service pop3-login {
@CHROOT_LOGIN@  inet_listener pop3 {
    port = 0
  }
  inet_listener pop3s {
    port = @POP@
    ssl = yes
  }
}
service submission-login {
@CHROOT_LOGIN@  inet_listener submission {
    port = @SMTP@
  }
}
`;

/**
 * Dovecot 2.3 Lua passdb, run after passdb oauth2 accepted the token's signature, issuer and
 * times. It applies what Exchange Online checks, from the test world (world.lua):
 * - aud is an Exchange Online resource;
 * - delegated tokens (scp): the token's user is the login name, and scp holds the protocol's permission;
 * - app-only tokens (roles): the role for the protocol (for SMTP: the role, or an RBAC assignment
 *   for this mailbox), a New-ServicePrincipal registration, and a mailbox permission;
 * - the protocol is not turned off for the mailbox (Set-CASMailbox; the world's cas_disabled).
 * passdb oauth2 turns JSON arrays into empty strings, hence the JSON read here.
 */
const CLAIMS_LUA = `local world = dofile(@WORLD@)
local need = {
  imap       = { scp = "IMAP.AccessAsUser.All", role = "IMAP.AccessAsApp" },
  pop3       = { scp = "POP.AccessAsUser.All",  role = "POP.AccessAsApp" },
  submission = { scp = "SMTP.Send",             role = "SMTP.SendAsApp" },
}
local b64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
local function b64url_decode(s)
  s = s:gsub('[^%w%-_]', '')
  return (s:gsub('.', function(c)
    local v = b64:find(c, 1, true) - 1
    local bits = ''
    for i = 6, 1, -1 do bits = bits .. (((v >> (i - 1)) & 1 == 1) and '1' or '0') end
    return bits
  end):gsub('%d%d%d?%d?%d?%d?%d?%d?', function(byte)
    if #byte ~= 8 then return '' end
    return string.char(tonumber(byte, 2))
  end))
end
local function claim(json, name)
  return json:match('"' .. name .. '"%s*:%s*"([^"]*)"')
end
local function deny(req, why)
  req:log_info(why)
  return dovecot.auth.PASSDB_RESULT_PASSWORD_MISMATCH, ""
end

function auth_password_verify(req, token)
  local rule = need[req.service]
  if rule == nil then return deny(req, "unknown service " .. tostring(req.service)) end
  local payload = token:match('^[^.]+%.([^.]+)%.')
  if payload == nil then return deny(req, "not a JWT") end
  local json = b64url_decode(payload)
  local aud = claim(json, "aud")
  if aud == nil or not world.audiences[aud:lower()] then return deny(req, "audience " .. tostring(aud) .. " is not Exchange Online") end
  local user = req.user:lower()
  local scp = claim(json, "scp")
  if scp ~= nil then
    local upn = claim(json, "upn") or claim(json, "preferred_username") or claim(json, "unique_name")
    if upn == nil or upn:lower() ~= user then return deny(req, "token user " .. tostring(upn) .. " is not " .. user) end
    for s in scp:gmatch('%S+') do
      if s == rule.scp then return dovecot.auth.PASSDB_RESULT_OK, "" end
    end
    return deny(req, "scp lacks " .. rule.scp)
  end
  local oid = (claim(json, "oid") or ""):lower()
  local roles = json:match('"roles"%s*:%s*%[([^%]]*)%]') or ''
  local granted = false
  for r in roles:gmatch('"([^"]*)"') do
    if r == rule.role then granted = true end
  end
  if not granted and req.service == "submission" and world.smtp_rbac[oid] and world.smtp_rbac[oid][user] then granted = true end
  if not granted then return deny(req, "roles lack " .. rule.role) end
  if not world.exchange_sps[oid] then return deny(req, "service principal " .. oid .. " is not registered in Exchange (New-ServicePrincipal)") end
  if not (world.mailbox_grants[oid] and world.mailbox_grants[oid][user]) and not (req.service == "submission" and world.smtp_rbac[oid] and world.smtp_rbac[oid][user]) then
    return deny(req, "service principal " .. oid .. " has no permission on " .. user)
  end
  if world.cas_disabled[user] and world.cas_disabled[user][req.service] then return deny(req, req.service .. " is disabled for " .. user .. " (Set-CASMailbox)") end
  return dovecot.auth.PASSDB_RESULT_OK, ""
end

function auth_passdb_lookup(req)
  return dovecot.auth.PASSDB_RESULT_USER_UNKNOWN, ""
end
`;
