/**
 * Reads a PKCS#12 (.pfx / .p12) bundle: the format the azuread provider takes for
 * ARM_CLIENT_CERTIFICATE_PATH and ARM_CLIENT_CERTIFICATE (go-azure-sdk decodes it with
 * software.sslmate.com/src/go-pkcs12 `DecodeChain`). Node's crypto reads PEM and DER keys and
 * certificates but not PKCS#12, so this unwraps the container (RFC 7292) and hands the key and
 * certificate to node:crypto.
 *
 * Supported: what OpenSSL 3 writes by default (PBES2: PBKDF2 with HMAC-SHA-1/256/384/512 and
 * AES-128/192/256-CBC or 3DES-CBC) and the older pbeWithSHAAnd3-KeyTripleDES-CBC; the integrity MAC
 * (HMAC-SHA-1/256/384/512) is checked, so a wrong password is named as such. Not supported:
 * RC2-40, used by `openssl pkcs12 -legacy` and old Windows exports, which OpenSSL 3 (and so Node)
 * no longer offers; the error says how to re-export. DER and BER (indefinite lengths, constructed
 * octet strings) are read.
 */
import {
  createDecipheriv,
  createHash,
  createHmac,
  createPrivateKey,
  createPublicKey,
  pbkdf2Sync,
  timingSafeEqual,
  X509Certificate,
  type KeyObject,
} from 'node:crypto';

/** Why a bundle cannot be used; the message names the cause and the fix, never the password. */
export class Pkcs12Error extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Pkcs12Error';
  }
}

/** The private key and the certificate that matches it. */
export interface Pkcs12Contents {
  readonly privateKey: KeyObject;
  readonly certificate: X509Certificate;
}

// ---------------------------------------------------------------------------------------------
// A small BER reader: what PKCS#12 files use (DER, and BER from some Windows exports).

interface Node {
  readonly tag: number;
  readonly constructed: boolean;
  /** The content octets (for a constructed string, its parts concatenated by `octets`). */
  readonly content: Buffer;
  readonly children: readonly Node[];
}

const MAX_DEPTH = 32;

function readNodes(buf: Buffer, depth = 0): Node[] {
  const out: Node[] = [];
  let pos = 0;
  while (pos < buf.length) {
    if (buf[pos] === 0 && buf[pos + 1] === 0) break; // end-of-contents of an indefinite length
    const { node, next } = readNode(buf, pos, depth);
    out.push(node);
    pos = next;
  }
  return out;
}

function readNode(buf: Buffer, start: number, depth: number): { node: Node; next: number } {
  if (depth > MAX_DEPTH) throw new Pkcs12Error('is nested too deeply to be a PKCS#12 file');
  let pos = start;
  const first = buf[pos++];
  if (first === undefined) throw truncated();
  if ((first & 0x1f) === 0x1f) throw new Pkcs12Error('uses a high ASN.1 tag number, which PKCS#12 does not');
  const constructed = (first & 0x20) !== 0;
  const lenByte = buf[pos++];
  if (lenByte === undefined) throw truncated();
  if (lenByte === 0x80) {
    if (!constructed) throw new Pkcs12Error('has an indefinite length on a primitive value');
    // Indefinite length: children until end-of-contents.
    const children: Node[] = [];
    while (!(buf[pos] === 0 && buf[pos + 1] === 0)) {
      if (pos >= buf.length) throw truncated();
      const r = readNode(buf, pos, depth + 1);
      children.push(r.node);
      pos = r.next;
    }
    return { node: { tag: first, constructed, content: Buffer.alloc(0), children }, next: pos + 2 };
  }
  let length = lenByte;
  if (lenByte & 0x80) {
    const n = lenByte & 0x7f;
    if (n > 4) throw new Pkcs12Error('has a length too large for a certificate file');
    length = 0;
    for (let i = 0; i < n; i++) {
      const b = buf[pos++];
      if (b === undefined) throw truncated();
      length = length * 256 + b;
    }
  }
  const end = pos + length;
  if (end > buf.length) throw truncated();
  const content = buf.subarray(pos, end);
  return { node: { tag: first, constructed, content, children: constructed ? readNodes(content, depth + 1) : [] }, next: end };
}

function truncated(): Pkcs12Error {
  return new Pkcs12Error('is cut short or not a PKCS#12 file');
}

/** The bytes of a (possibly constructed) string value. */
function octets(n: Node): Buffer {
  return n.constructed ? Buffer.concat(n.children.map(octets)) : n.content;
}

function oid(n: Node | undefined): string {
  if (!n || n.tag !== 0x06) throw new Pkcs12Error('has an object identifier missing where PKCS#12 puts one');
  const b = n.content;
  const parts = [Math.floor(b[0] / 40), b[0] % 40];
  let v = 0;
  for (let i = 1; i < b.length; i++) {
    v = v * 128 + (b[i] & 0x7f);
    if ((b[i] & 0x80) === 0) {
      parts.push(v);
      v = 0;
    }
  }
  return parts.join('.');
}

function integer(n: Node | undefined): number {
  if (!n || n.tag !== 0x02) throw new Pkcs12Error('has an integer missing where PKCS#12 puts one');
  let v = 0;
  for (const b of n.content) v = v * 256 + b;
  return v;
}

function seq(n: Node | undefined, what: string): readonly Node[] {
  if (!n || (n.tag !== 0x30 && n.tag !== 0x31)) throw new Pkcs12Error(`has no ${what} where PKCS#12 puts it`);
  return n.children;
}

/** The value inside an explicit `[0]`. */
function explicit0(n: Node | undefined, what: string): Node {
  if (!n || n.tag !== 0xa0 || n.children.length === 0) throw new Pkcs12Error(`has no ${what} where PKCS#12 puts it`);
  return n.children[0];
}

// ---------------------------------------------------------------------------------------------
// Object identifiers

const OID = {
  data: '1.2.840.113549.1.7.1',
  encryptedData: '1.2.840.113549.1.7.6',
  keyBag: '1.2.840.113549.1.12.10.1.1',
  shroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
  certBag: '1.2.840.113549.1.12.10.1.3',
  x509Certificate: '1.2.840.113549.1.9.22.1',
  pbes2: '1.2.840.113549.1.5.13',
  pbkdf2: '1.2.840.113549.1.5.12',
  pbeSha13Des: '1.2.840.113549.1.12.1.3',
  pbeSha1Rc240: '1.2.840.113549.1.12.1.6',
  pbeSha1Rc2128: '1.2.840.113549.1.12.1.5',
} as const;

const PRF: Readonly<Record<string, string>> = {
  '1.2.840.113549.2.7': 'sha1',
  '1.2.840.113549.2.9': 'sha256',
  '1.2.840.113549.2.10': 'sha384',
  '1.2.840.113549.2.11': 'sha512',
};

const CIPHERS: Readonly<Record<string, { readonly name: string; readonly keyLength: number }>> = {
  '2.16.840.1.101.3.4.1.2': { name: 'aes-128-cbc', keyLength: 16 },
  '2.16.840.1.101.3.4.1.22': { name: 'aes-192-cbc', keyLength: 24 },
  '2.16.840.1.101.3.4.1.42': { name: 'aes-256-cbc', keyLength: 32 },
  '1.2.840.113549.3.7': { name: 'des-ede3-cbc', keyLength: 24 },
};

const DIGESTS: Readonly<Record<string, { readonly name: string; readonly length: number; readonly block: number }>> = {
  '1.3.14.3.2.26': { name: 'sha1', length: 20, block: 64 },
  '2.16.840.1.101.3.4.2.1': { name: 'sha256', length: 32, block: 64 },
  '2.16.840.1.101.3.4.2.2': { name: 'sha384', length: 48, block: 128 },
  '2.16.840.1.101.3.4.2.3': { name: 'sha512', length: 64, block: 128 },
};

const REEXPORT =
  're-export it with AES (OpenSSL 3: openssl pkcs12 -in old.pfx -nodes -legacy | openssl pkcs12 -export -out new.pfx; Windows: Export-PfxCertificate -CryptoAlgorithmOption AES256_SHA256)';

// ---------------------------------------------------------------------------------------------
// Key derivation and decryption

/** RFC 7292 appendix B.2, the PKCS#12 key derivation (`id` 1 key, 2 IV, 3 MAC key). */
function pkcs12Kdf(
  password: Buffer,
  salt: Buffer,
  iterations: number,
  id: number,
  size: number,
  hash: { name: string; length: number; block: number },
): Buffer {
  const v = hash.block;
  const fill = (b: Buffer) => {
    if (b.length === 0) return Buffer.alloc(0);
    const out = Buffer.alloc(v * Math.ceil(b.length / v));
    for (let i = 0; i < out.length; i++) out[i] = b[i % b.length];
    return out;
  };
  const D = Buffer.alloc(v, id);
  const I = Buffer.concat([fill(salt), fill(password)]);
  const out: Buffer[] = [];
  let produced = 0;
  while (produced < size) {
    let A = createHash(hash.name)
      .update(Buffer.concat([D, I]))
      .digest();
    for (let r = 1; r < iterations; r++) A = createHash(hash.name).update(A).digest();
    out.push(A);
    produced += A.length;
    if (produced >= size) break;
    const B = fill(A);
    for (let j = 0; j < I.length; j += v) {
      let carry = 1;
      for (let k = v - 1; k >= 0; k--) {
        const sum = I[j + k] + B[k] + carry;
        I[j + k] = sum & 0xff;
        carry = sum >> 8;
      }
    }
  }
  return Buffer.concat(out).subarray(0, size);
}

/** The password as PKCS#12's KDF takes it: UTF-16BE with a terminating zero. */
function bmpPassword(password: string): Buffer {
  const b = Buffer.alloc((password.length + 1) * 2);
  for (let i = 0; i < password.length; i++) b.writeUInt16BE(password.charCodeAt(i), i * 2);
  return b;
}

function decrypt(algorithm: readonly Node[], data: Buffer, password: string): Buffer {
  const id = oid(algorithm[0]);
  try {
    if (id === OID.pbes2) {
      const [kdf, scheme] = seq(algorithm[1], 'PBES2 parameters');
      const [kdfOid, kdfParams] = seq(kdf, 'key derivation');
      if (oid(kdfOid) !== OID.pbkdf2) throw new Pkcs12Error(`is encrypted with a key derivation (${oid(kdfOid)}) this reader does not know: ${REEXPORT}`);
      const p = seq(kdfParams, 'PBKDF2 parameters');
      const salt = octets(p[0]);
      const iterations = integer(p[1]);
      const prfNode = p.find((n, i) => i >= 2 && n.tag === 0x30);
      const prf = prfNode ? PRF[oid(prfNode.children[0])] : 'sha1';
      if (!prf) throw new Pkcs12Error(`uses a PBKDF2 hash this reader does not know: ${REEXPORT}`);
      const [cipherOid, iv] = seq(scheme, 'encryption scheme');
      const cipher = CIPHERS[oid(cipherOid)];
      if (!cipher) throw new Pkcs12Error(`is encrypted with a cipher (${oid(cipherOid)}) this reader does not know: ${REEXPORT}`);
      const key = pbkdf2Sync(Buffer.from(password, 'utf8'), salt, iterations, cipher.keyLength, prf);
      const d = createDecipheriv(cipher.name, key, octets(iv));
      return Buffer.concat([d.update(data), d.final()]);
    }
    if (id === OID.pbeSha13Des) {
      const p = seq(algorithm[1], 'PBE parameters');
      const salt = octets(p[0]);
      const iterations = integer(p[1]);
      const sha1 = DIGESTS['1.3.14.3.2.26'];
      const key = pkcs12Kdf(bmpPassword(password), salt, iterations, 1, 24, sha1);
      const iv = pkcs12Kdf(bmpPassword(password), salt, iterations, 2, 8, sha1);
      const d = createDecipheriv('des-ede3-cbc', key, iv);
      return Buffer.concat([d.update(data), d.final()]);
    }
  } catch (e) {
    if (e instanceof Pkcs12Error) throw e;
    throw new Pkcs12Error('cannot be decrypted: the password (ARM_CLIENT_CERTIFICATE_PASSWORD) is wrong, or the file is damaged');
  }
  if (id === OID.pbeSha1Rc240 || id === OID.pbeSha1Rc2128) {
    throw new Pkcs12Error(`is encrypted with RC2, which OpenSSL 3 and Node no longer offer (a legacy export): ${REEXPORT}`);
  }
  throw new Pkcs12Error(`is encrypted with an algorithm (${id}) this reader does not know: ${REEXPORT}`);
}

function verifyMac(macData: Node, authSafe: Buffer, password: string): void {
  const [digestInfo, saltNode, iterNode] = seq(macData, 'MAC data');
  const [algorithm, digestNode] = seq(digestInfo, 'MAC digest');
  const digest = DIGESTS[oid(seq(algorithm, 'MAC algorithm')[0])];
  // PBMAC1 (RFC 9579) and other MACs: left to the decryption to notice a wrong password.
  if (!digest) return;
  const iterations = iterNode ? integer(iterNode) : 1;
  const key = pkcs12Kdf(bmpPassword(password), octets(saltNode), iterations, 3, digest.length, digest);
  const mac = createHmac(digest.name, key).update(authSafe).digest();
  const expected = octets(digestNode);
  if (expected.length !== mac.length || !timingSafeEqual(expected, mac)) {
    throw new Pkcs12Error('fails its integrity check: the password (ARM_CLIENT_CERTIFICATE_PASSWORD) is wrong, or the file is damaged');
  }
}

// ---------------------------------------------------------------------------------------------

/**
 * The private key and its certificate from a PKCS#12 bundle.
 * @throws Pkcs12Error naming the problem (wrong password, legacy cipher, no key or certificate)
 */
export function readPkcs12(bytes: Buffer, password: string): Pkcs12Contents {
  const [top] = readNodes(bytes);
  const pfx = seq(top, 'PFX structure');
  if (integer(pfx[0]) !== 3) throw new Pkcs12Error('is not a PKCS#12 version 3 file');
  const authSafeInfo = seq(pfx[1], 'content');
  if (oid(authSafeInfo[0]) !== OID.data) throw new Pkcs12Error('is signed with a public key (not password-protected), which this reader does not read');
  const authSafe = octets(explicit0(authSafeInfo[1], 'content'));
  if (pfx[2]) verifyMac(pfx[2], authSafe, password);

  const keys: KeyObject[] = [];
  const certs: X509Certificate[] = [];
  for (const info of seq(readNodes(authSafe)[0], 'safe contents')) {
    const [type, content] = seq(info, 'content info');
    let safeContents: Buffer;
    if (oid(type) === OID.data) safeContents = octets(explicit0(content, 'safe contents'));
    else if (oid(type) === OID.encryptedData) {
      const [, eci] = seq(explicit0(content, 'encrypted data'), 'encrypted data');
      const [, algorithm, encrypted] = seq(eci, 'encrypted content');
      if (!encrypted || (encrypted.tag !== 0x80 && encrypted.tag !== 0xa0)) throw new Pkcs12Error('has encrypted content missing');
      safeContents = decrypt(seq(algorithm, 'algorithm'), octets(encrypted), password);
    } else continue;
    for (const bag of seq(readNodes(safeContents)[0], 'safe bags')) {
      const [bagId, bagValue] = seq(bag, 'safe bag');
      const value = explicit0(bagValue, 'bag value');
      const id = oid(bagId);
      if (id === OID.certBag) {
        const [certType, certValue] = seq(value, 'certificate bag');
        if (oid(certType) === OID.x509Certificate) certs.push(new X509Certificate(octets(explicit0(certValue, 'certificate'))));
      } else if (id === OID.keyBag || id === OID.shroudedKeyBag) {
        let der: Buffer;
        if (id === OID.shroudedKeyBag) {
          const [algorithm, encrypted] = seq(value, 'encrypted private key');
          der = decrypt(seq(algorithm, 'algorithm'), octets(encrypted), password);
        } else der = encodeNode(value);
        try {
          keys.push(createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }));
        } catch {
          throw new Pkcs12Error('holds a private key that cannot be read: the password (ARM_CLIENT_CERTIFICATE_PASSWORD) is wrong, or the file is damaged');
        }
      }
    }
  }
  if (keys.length === 0) throw new Pkcs12Error('holds no private key: export the certificate with its private key (.pfx with "Yes, export the private key")');
  if (certs.length === 0) throw new Pkcs12Error('holds no certificate');
  // The certificate of the key, not one of its chain.
  const spki = (k: KeyObject) => k.export({ type: 'spki', format: 'der' });
  for (const key of keys) {
    const pub = spki(createPublicKey(key));
    const cert = certs.find((c) => spki(c.publicKey).equals(pub));
    if (cert) return { privateKey: key, certificate: cert };
  }
  throw new Pkcs12Error('holds no certificate for its private key');
}

/** Re-encodes a node read from DER (a keyBag's PrivateKeyInfo) for node:crypto. */
function encodeNode(n: Node): Buffer {
  const content = n.constructed && n.content.length === 0 ? Buffer.concat(n.children.map(encodeNode)) : n.content;
  const len = content.length;
  const lenBytes =
    len < 0x80
      ? Buffer.from([len])
      : (() => {
          const bytes: number[] = [];
          for (let v = len; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
          return Buffer.from([0x80 | bytes.length, ...bytes]);
        })();
  return Buffer.concat([Buffer.from([n.tag]), lenBytes, content]);
}

/**
 * The certificate's SHA-1 thumbprint: the `x5t` header Entra ID finds the key by. URL-safe base64
 * with padding, as go-azure-sdk writes it (`base64.URLEncoding`, client_credentials.go).
 */
export function x5t(certificate: X509Certificate): string {
  const b = createHash('sha1').update(certificate.raw).digest('base64url');
  return b + '='.repeat((4 - (b.length % 4)) % 4);
}
