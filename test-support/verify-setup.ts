import { rmSync, chmodSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { VerifyTarget } from '../lib/verify/types';
import type { TerraformOutputs } from '../lib/verify/target-from-outputs';
import { startFakeEntra, type FakeEntra } from './fake-entra';
import { startMailPeer, type MailPeer } from './mail-peer';
import { makeTestPki, type TestPki } from './verify-pki';
import { ALICE, EXO, makeWorld, type TestApp, type TestWorld } from './verify-world';

/** Everything a verify suite talks to: keys, the token endpoint, and (optionally) the mail peer. */
export interface VerifyRig {
  readonly pki: TestPki;
  readonly world: TestWorld;
  readonly entra: FakeEntra;
  readonly peer?: MailPeer;
  stop(): Promise<void>;
}

export async function startRig(options: { peer: boolean }): Promise<VerifyRig> {
  const pki = makeTestPki();
  const world = makeWorld();
  const entra = await startFakeEntra(pki, world);
  let peer: MailPeer | undefined;
  try {
    if (options.peer) peer = await startMailPeer(pki, world);
  } catch (e) {
    await entra.close();
    cleanup(pki.dir);
    throw e;
  }
  return {
    pki,
    world,
    entra,
    ...(peer ? { peer } : {}),
    stop: async () => {
      await Promise.all([entra.close(), peer?.stop()]);
      cleanup(pki.dir);
    },
  };
}

function cleanup(dir: string): void {
  const mail = join(dir, 'peer', 'mail');
  if (existsSync(mail)) chmodSync(mail, 0o755);
  rmSync(dir, { recursive: true, force: true });
}

export interface OutputOptions {
  readonly flow?: 'app-only' | 'delegated';
  readonly mailbox?: string | null;
  readonly scope?: string;
  readonly tenant?: string;
  readonly secret?: string | null;
  readonly protocols?: readonly ('imap' | 'pop' | 'smtp')[];
  /** Override the servers (e.g. a replay peer). */
  readonly servers?: Partial<Record<'imap' | 'pop' | 'smtp', { host: string; port: number; security?: string }>>;
  readonly mailboxAccess?: 'rbac' | 'fullAccess';
  readonly tokenEndpoint?: string;
}

/** The `terraform output -json` of an environment whose app is `app`, with servers on the rig. */
export function outputsFor(rig: VerifyRig, app: TestApp, o: OutputOptions = {}): TerraformOutputs {
  const flow = o.flow ?? 'app-only';
  const tenant = o.tenant ?? rig.world.tenant;
  const protocols = o.protocols ?? ['imap', 'pop', 'smtp'];
  const ports = { imap: rig.peer?.imapPort ?? 1, pop: rig.peer?.popPort ?? 1, smtp: rig.peer?.smtpPort ?? 1 };
  const server = (p: 'imap' | 'pop' | 'smtp') => {
    if (!protocols.includes(p)) return { server: '', port: '', security: '' };
    const s = o.servers?.[p];
    return { server: s?.host ?? '127.0.0.1', port: String(s?.port ?? ports[p]), security: s?.security ?? (p === 'smtp' ? 'STARTTLS' : 'SSL/TLS') };
  };
  const scope =
    o.scope ??
    (flow === 'app-only'
      ? `${EXO}/.default`
      : [
          ...protocols.map((p) => `https://outlook.office.com/${{ imap: 'IMAP.AccessAsUser.All', pop: 'POP.AccessAsUser.All', smtp: 'SMTP.Send' }[p]}`),
          'offline_access',
        ].join(' '));
  const settings: Record<string, string> = {
    tenant_id: tenant,
    client_id: app.clientId,
    flow,
    token_endpoint: o.tokenEndpoint ?? `${rig.entra.url}/${tenant}/oauth2/v2.0/token`,
    authorize_endpoint: flow === 'delegated' ? `${rig.entra.url}/${tenant}/oauth2/v2.0/authorize` : '',
    scope,
    redirect_uri: flow === 'delegated' ? 'https://itsm.example.test/pandora_console/setup/setup_mail' : '',
    client_secret: 'sensitive output client_secret (terraform output -raw client_secret)',
  };
  for (const p of ['imap', 'pop', 'smtp'] as const) {
    const s = server(p);
    settings[`${p}_server`] = s.server;
    settings[`${p}_port`] = s.port;
    settings[`${p}_security`] = s.security;
  }
  if (o.mailbox !== null) settings.mailbox = o.mailbox ?? ALICE;
  if (o.mailboxAccess) settings.mailbox_access = o.mailboxAccess;
  const out: Record<string, { value: unknown; sensitive: boolean; type?: unknown }> = {
    tenant_id: { value: tenant, sensitive: false },
    client_id: { value: app.clientId, sensitive: false },
    service_principal_object_id: { value: app.spObjectId, sensitive: false },
    itsm_email_settings: { value: settings, sensitive: false },
  };
  if (o.secret !== null) out.client_secret = { value: o.secret ?? app.secret, sensitive: true };
  return out;
}

/** The env that points verify's endpoints at the rig's fake cloud (as ARM_METADATA_HOSTNAME does for terraform). */
export function rigEnv(rig: VerifyRig, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ARM_METADATA_HOSTNAME: rig.entra.host, ...extra };
}

export type { VerifyTarget };
