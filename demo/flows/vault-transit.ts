/**
 * The seed's last step: the password-storage application, first against the tutorial's own small
 * KMS server (kmskit's REST routes) and then against HashiCorp Vault's Transit engine — with only
 * its encrypt/decrypt functions swapped, the business logic untouched. Then the Vault key is rotated
 * and a password stored before the rotation still logs in; the app's token, limited by a Vault
 * policy to encrypt and decrypt, cannot rotate the key itself.
 *
 * Both backends are kmskit's, reached over HTTP on a loopback port as the application would reach
 * them (the in-process emulator serves the same protocols through startServer).
 */
import { timingSafeEqual } from 'node:crypto';
import { Agent, request } from 'node:http';
import { startServer } from '../../emulator/server.js';
import type { Flow } from './types.js';

/** The only thing that changes between the two backends. */
interface Crypto {
  encrypt(plaintext: string): Promise<string>;
  decrypt(ciphertext: string): Promise<string>;
}

/** The application's business logic: register and log in, whatever encrypts its passwords. */
class PasswordStore {
  private readonly users = new Map<string, string>();
  constructor(private readonly crypto: Crypto) {}

  async register(user: string, password: string): Promise<string> {
    const ciphertext = await this.crypto.encrypt(password);
    this.users.set(user, ciphertext);
    return ciphertext;
  }

  async login(user: string, attempt: string): Promise<boolean> {
    const stored = this.users.get(user);
    if (stored === undefined) return false;
    const password = Buffer.from(await this.crypto.decrypt(stored));
    const given = Buffer.from(attempt);
    return password.length === given.length && timingSafeEqual(password, given);
  }
}

// node:http rather than fetch: loading undici would cost the demo more than all its requests.
const agent = new Agent({ keepAlive: true });

function call(url: string, method: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: any }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, agent, headers: { 'Content-Type': 'application/json', ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: text ? JSON.parse(text) : undefined }));
    });
    req.on('error', reject);
    req.end(body !== undefined ? JSON.stringify(body) : undefined);
  });
}

async function must(url: string, method: string, body?: unknown, headers: Record<string, string> = {}): Promise<any> {
  const r = await call(url, method, body, headers);
  if (r.status >= 300) throw new Error(`${method} ${new URL(url).pathname} answered ${r.status}: ${JSON.stringify(r.json)}`);
  return r.json;
}

/** The tutorial's KMS server: POST /encrypt and /decrypt with a key name. */
const restCrypto = (base: string, keyId: string): Crypto => ({
  encrypt: async (plaintext) => (await must(`${base}/encrypt`, 'POST', { key_id: keyId, plaintext })).ciphertext,
  decrypt: async (ciphertext) => (await must(`${base}/decrypt`, 'POST', { key_id: keyId, ciphertext })).plaintext,
});

/** Vault Transit: base64 in and out, the token in X-Vault-Token. */
const vaultCrypto = (base: string, key: string, token: string): Crypto => ({
  encrypt: async (plaintext) => (await must(`${base}/v1/transit/encrypt/${key}`, 'POST', { plaintext: Buffer.from(plaintext).toString('base64') }, { 'X-Vault-Token': token })).data.ciphertext,
  decrypt: async (ciphertext) => Buffer.from((await must(`${base}/v1/transit/decrypt/${key}`, 'POST', { ciphertext }, { 'X-Vault-Token': token })).data.plaintext, 'base64').toString(),
});

const APP_POLICY = `# The application may encrypt and decrypt with its key, nothing else.
path "transit/encrypt/my-app-key" { capabilities = ["update"] }
path "transit/decrypt/my-app-key" { capabilities = ["update"] }
`;

/** Runs the same registrations and logins on a store; returns the checks and the ciphertexts. */
async function exercise(store: PasswordStore, backend: string): Promise<{ checks: Array<{ ok: boolean; text: string }>; ciphertext: string }> {
  const ciphertext = await store.register('alice', 'correct horse battery staple');
  await store.register('bob', 'Tr0ub4dor&3');
  return {
    ciphertext,
    checks: [
      { ok: await store.login('alice', 'correct horse battery staple'), text: `${backend}: alice logs in with her password` },
      { ok: !(await store.login('bob', 'tr0ub4dor&3')), text: `${backend}: bob with a wrong password is refused` },
    ],
  };
}

export const vaultTransit: Flow = async (ctx) => {
  ctx.secrets.push('correct horse battery staple', 'Tr0ub4dor&3', 'rotated-in password');
  const server = await startServer({ emulator: ctx.emulator, port: 0 });
  try {
    const base = server.url;
    const root = { 'X-Vault-Token': ctx.emulator.vault.rootToken };

    // 1. The tutorial's KMS server (REST routes; the key survives in the state file between runs).
    const created = await call(`${base}/keys`, 'POST', { key_id: 'password-demo' });
    if (created.status !== 201 && created.status !== 409) throw new Error(`POST /keys answered ${created.status}: ${JSON.stringify(created.json)}`);
    const rest = await exercise(new PasswordStore(restCrypto(base, 'password-demo')), 'REST KMS');

    // 2. Vault Transit, as the hands-on sets it up: enable transit, create my-app-key, a token for the app.
    const mounts = await must(`${base}/v1/sys/mounts`, 'GET', undefined, root);
    if (!mounts.data['transit/']) await must(`${base}/v1/sys/mounts/transit`, 'POST', { type: 'transit' }, root);
    await must(`${base}/v1/transit/keys/my-app-key`, 'POST', {}, root);
    await call(`${base}/v1/sys/policy/demo-app`, 'PUT', { policy: APP_POLICY }, root);
    const appToken = (await must(`${base}/v1/auth/token/create`, 'POST', { policies: ['demo-app'], display_name: 'demo-app', ttl: '10m' }, root)).auth.client_token as string;
    const store = new PasswordStore(vaultCrypto(base, 'my-app-key', appToken));
    const vault = await exercise(store, 'Vault Transit');

    // 3. Rotate (an operator action, with the root token); the old ciphertext still decrypts.
    const before = (await must(`${base}/v1/transit/keys/my-app-key`, 'GET', undefined, root)).data.latest_version as number;
    const appRotate = await call(`${base}/v1/transit/keys/my-app-key/rotate`, 'POST', {}, { 'X-Vault-Token': appToken });
    const rotated = (await must(`${base}/v1/transit/keys/my-app-key/rotate`, 'POST', {}, root)).data.latest_version as number;
    const fresh = await store.register('carol', 'rotated-in password');
    const aliceAfter = await store.login('alice', 'correct horse battery staple');

    return {
      name: 'Vault Transit',
      checks: [
        ...rest.checks,
        { ok: !rest.ciphertext.startsWith('vault:'), text: 'REST KMS: passwords stored as KMS ciphertext blobs' },
        ...vault.checks,
        { ok: vault.ciphertext.startsWith(`vault:v${before}:`), text: `Vault Transit: passwords stored as vault:v${before}:… with only encrypt/decrypt swapped` },
        { ok: appRotate.status === 403, text: "the app's token (policy demo-app: encrypt and decrypt only) cannot rotate the key" },
        { ok: rotated === before + 1 && fresh.startsWith(`vault:v${rotated}:`), text: `rotated to v${rotated}: new passwords are stored under it` },
        { ok: aliceAfter, text: `alice's v${before} ciphertext still decrypts after the rotation` },
      ],
      detailHeaders: ['backend', 'stored ciphertext for alice'],
      details: [
        ['REST KMS', `${rest.ciphertext.slice(0, 32)}…`],
        ['Vault Transit', `${vault.ciphertext.slice(0, 32)}…`],
      ],
    };
  } finally {
    agent.destroy();
    await server.close();
  }
};
