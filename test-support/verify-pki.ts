import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Throwaway keys for the verify tests, made at run time into a temp folder (nothing of this is in
 * git): a CA, a server certificate for 127.0.0.1 and localhost signed by it (the mail peers and the
 * token endpoint use it), and the RSA key the test token endpoint signs JWTs with (the mail peer
 * gets only its public half).
 */
export interface TestPki {
  readonly dir: string;
  readonly caCert: string;
  readonly caFile: string;
  readonly serverCertFile: string;
  readonly serverKeyFile: string;
  readonly serverCert: string;
  readonly serverKey: string;
  /** PEM private key for RS256 tokens. */
  readonly jwtPrivateKey: string;
  /** PEM public key of it. */
  readonly jwtPublicKey: string;
  /** An unrelated private key, for tokens with a bad signature. */
  readonly otherPrivateKey: string;
  readonly jwtKeyId: string;
}

export function makeTestPki(prefix = 'itsm-verify-pki-'): TestPki {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  // The mail peer's processes run as other users: they must reach the public files.
  chmodSync(dir, 0o755);
  const tls = join(dir, 'tls');
  mkdirSync(tls, { mode: 0o755 });
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: tls, stdio: ['ignore', 'ignore', 'pipe'] });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  ssl(
    'req',
    '-x509',
    ...ec,
    '-days',
    '2',
    '-subj',
    `/CN=itsm-verify-test-ca-${randomBytes(4).toString('hex')}`,
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  );
  ssl('req', ...ec, '-subj', '/CN=localhost', '-keyout', 'server.key', '-out', 'server.csr');
  writeFileSync(
    join(tls, 'ext.cnf'),
    'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\n',
  );
  ssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-out', 'server.crt', '-extfile', 'ext.cnf');
  chmodSync(join(tls, 'ca.key'), 0o600);
  chmodSync(join(tls, 'server.key'), 0o600);
  chmodSync(join(tls, 'ca.crt'), 0o644);
  chmodSync(join(tls, 'server.crt'), 0o644);
  const rsa = () =>
    generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
  const signing = rsa();
  const other = rsa();
  return {
    dir,
    caFile: join(tls, 'ca.crt'),
    caCert: readFileSync(join(tls, 'ca.crt'), 'utf8'),
    serverCertFile: join(tls, 'server.crt'),
    serverKeyFile: join(tls, 'server.key'),
    serverCert: readFileSync(join(tls, 'server.crt'), 'utf8'),
    serverKey: readFileSync(join(tls, 'server.key'), 'utf8'),
    jwtPrivateKey: signing.privateKey,
    jwtPublicKey: signing.publicKey,
    otherPrivateKey: other.privateKey,
    jwtKeyId: 'verify-test-key-1',
  };
}
