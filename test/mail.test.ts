import { PassThrough } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApiKey } from '../src/accounts/apiKeys.ts';
import { addUser } from '../src/accounts/users.ts';
import { createWorkspace } from '../src/accounts/workspaces.ts';
import { loadConfig, type CandorConfig } from '../src/config.ts';
import { buildApp } from '../src/http/app.ts';
import { createMailer } from '../src/mail/createMailer.ts';
import { createDevMailbox } from '../src/mail/devMailbox.ts';
import type { Mailer } from '../src/mail/mailer.ts';
import { testSmtpServer, type ReceivedMail } from './support/receivedMail.ts';
import { openTestDatabase, type TestDatabase } from './support/testDatabase.ts';

const smtp = testSmtpServer();
const received = smtp.received;

type RunningApp = { app: FastifyInstance; mailer: Mailer; logs: string[]; config: CandorConfig };

async function startApp(database: TestDatabase, overrides: Partial<CandorConfig>): Promise<RunningApp> {
  const config = loadConfig({}, { logLevel: 'info', ...overrides });
  const logs: string[] = [];
  const logStream = new PassThrough();
  logStream.on('data', (chunk: Buffer) => logs.push(chunk.toString('utf8')));
  const mailer = createMailer(config, database);
  const app = await buildApp({ database, config, mailer, logStream });
  await app.ready();
  return { app, mailer, logs, config };
}

let database: TestDatabase;
let viaSmtp: RunningApp;
let demo: RunningApp;
let plain: RunningApp;
let workspace: { id: string; slug: string; adminKey: string };
const password = 'correct horse battery staple';
const secrets: string[] = [password];

beforeAll(async () => {
  const port = await smtp.listen();
  database = await openTestDatabase();
  viaSmtp = await startApp(database, {
    smtpUrl: `smtp://127.0.0.1:${port}`,
    mailFrom: 'Candor <candor@mail.test>',
    publicUrl: 'https://crm.example.org',
    demo: true,
  });
  demo = await startApp(database, { demo: true });
  plain = await startApp(database, { demo: false });
  const created = await createWorkspace(database.db, { slug: 'mail-test', name: 'Mail & <Test> Co' });
  const adminKey = (await createApiKey(database.db, { tenantId: created.id, name: 'admin', role: 'admin', purposes: ['sales'] })).key;
  workspace = { id: created.id, slug: created.slug, adminKey };
});

afterAll(async () => {
  for (const running of [viaSmtp, demo, plain]) {
    await running?.app.close();
    await running?.mailer.close();
  }
  await database?.close();
  await smtp.close();
});

const invite = (running: RunningApp, email: string) =>
  running.app.inject({
    method: 'POST',
    url: '/api/v1/users/invitations',
    headers: { authorization: `Bearer ${workspace.adminKey}` },
    payload: { email, role: 'sales' },
  });

function linkToken(text: string, path: string): string {
  const match = new RegExp(`${path}#token=(\\S+)`).exec(text);
  if (!match) throw new Error(`no ${path} link`);
  const token = decodeURIComponent(match[1]);
  secrets.push(token);
  return token;
}

describe('mail through a real SMTP server', () => {
  it('delivers the invitation e-mail over SMTP, and its link lets the invitee in', async () => {
    const response = await invite(viaSmtp, 'sina.smtp@example.test');
    expect(response.statusCode).toBe(201);
    await vi.waitFor(() => expect(received.filter((mail) => mail.to.includes('sina.smtp@example.test'))).toHaveLength(1));
    const mail = received.find((candidate) => candidate.to.includes('sina.smtp@example.test')) as ReceivedMail;
    expect(mail.from).toBe('candor@mail.test');
    expect(mail.headers.to).toContain('sina.smtp@example.test');
    expect(mail.headers.subject).toContain('Mail & <Test> Co');
    expect(mail.text).toContain('https://crm.example.org/accept-invitation#token=');
    const token = linkToken(mail.text, '/accept-invitation');

    const accepted = await viaSmtp.app.inject({ method: 'POST', url: '/api/v1/auth/accept-invitation', payload: { token, displayName: 'Sina', password } });
    expect(accepted.statusCode).toBe(201);
    const cookie = accepted.cookies.find((candidate) => candidate.name === 'candor_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', secure: true });
    secrets.push(cookie?.value ?? '');
  });

  it('delivers the password-reset e-mail over SMTP', async () => {
    await addUser(database.db, { tenantId: workspace.id, email: 'rob.reset@example.test', displayName: 'Rob', role: 'support', password });
    const response = await viaSmtp.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password-reset',
      payload: { workspace: workspace.slug, email: 'rob.reset@example.test' },
    });
    expect(response.statusCode).toBe(202);
    await vi.waitFor(() => expect(received.filter((mail) => mail.to.includes('rob.reset@example.test'))).toHaveLength(1));
    const mail = received.find((candidate) => candidate.to.includes('rob.reset@example.test')) as ReceivedMail;
    const token = linkToken(mail.text, '/reset-password');
    const newPassword = 'another long passphrase';
    secrets.push(newPassword);
    const completed = await viaSmtp.app.inject({ method: 'POST', url: '/api/v1/auth/password-reset/complete', payload: { token, password: newPassword } });
    expect(completed.statusCode).toBe(204);
    const login = await viaSmtp.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { workspace: workspace.slug, email: 'rob.reset@example.test', password: newPassword },
    });
    expect(login.statusCode).toBe(200);
  });

  it('does not serve the dev mailbox when SMTP is configured, nor outside demo mode', async () => {
    // Authenticated, so the answer is about the route, not about missing credentials.
    const headers = { authorization: `Bearer ${workspace.adminKey}` };
    expect((await viaSmtp.app.inject({ method: 'GET', url: '/dev/mail', headers })).statusCode).toBe(404);
    expect((await plain.app.inject({ method: 'GET', url: '/dev/mail', headers })).statusCode).toBe(404);
    expect((await plain.app.inject({ method: 'GET', url: '/dev/mail.json', headers })).statusCode).toBe(404);
    // A URL no route serves is a 404 for everyone: there is no handler to protect.
    expect((await plain.app.inject({ method: 'GET', url: '/dev/mail' })).statusCode).toBe(404);
  });
});

describe('the dev mailbox (demo mode without SMTP)', () => {
  it('keeps the invitation e-mail and lists it at /dev/mail.json', async () => {
    const smtpCountBefore = received.length;
    expect((await invite(demo, 'dana.dev@example.test')).statusCode).toBe(201);
    const response = await demo.app.inject({ method: 'GET', url: '/dev/mail.json' });
    expect(response.statusCode).toBe(200);
    const message = response.json().data.find((candidate: { to: string }) => candidate.to === 'dana.dev@example.test');
    expect(message.subject).toContain('Mail & <Test> Co');
    expect(message.text).toContain('http://localhost:3000/accept-invitation#token=');
    linkToken(message.text, '/accept-invitation');
    expect(received.length).toBe(smtpCountBefore);
  });

  it('shows messages on an HTML page with every value escaped and links clickable', async () => {
    await createDevMailbox(database.db).send({
      to: 'mallory@example.test',
      subject: '<script>alert("subject")</script>',
      text: 'Hello "><img src=x onerror=alert(1)>\nVisit https://example.com/path?a=1&b=2 now',
    });
    const response = await demo.app.inject({ method: 'GET', url: '/dev/mail' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/html');
    expect(response.headers['content-security-policy']).toContain("default-src 'none'");
    const html = response.body;
    expect(html).toContain('&lt;script&gt;alert(&quot;subject&quot;)&lt;/script&gt;');
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    expect(html).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('<a href="https://example.com/path?a=1&amp;b=2">');
    expect(html).toContain('Mail &amp; &lt;Test&gt; Co');
  });

  it('is public in demo mode and listed in the OpenAPI document only there', async () => {
    const demoPaths = Object.keys((await demo.app.inject({ method: 'GET', url: '/api/openapi.json' })).json().paths);
    const plainPaths = Object.keys((await plain.app.inject({ method: 'GET', url: '/api/openapi.json' })).json().paths);
    expect(demoPaths).toContain('/dev/mail.json');
    expect(plainPaths).not.toContain('/dev/mail.json');
    expect(plainPaths).toEqual(expect.arrayContaining(['/api/v1/auth/login', '/api/v1/users/invitations', '/api/v1/api-keys']));
  });
});

describe('what mail sending leaves in the logs', () => {
  it('logs no token, password or e-mail address', () => {
    const logs = [...viaSmtp.logs, ...demo.logs, ...plain.logs].join('\n');
    expect(logs.length).toBeGreaterThan(0);
    for (const secret of secrets.filter((value) => value.length > 0)) expect(logs).not.toContain(secret);
    expect(logs).not.toMatch(/@example\.test/);
  });
});
