import { PassThrough } from 'node:stream';
import { openTestDatabase } from './test/support/testDatabase.ts';
import { loadConfig } from './src/config.ts';
import { buildApp } from './src/http/app.ts';
import { createWorkspace } from './src/accounts/workspaces.ts';
import { createApiKey } from './src/accounts/apiKeys.ts';
const database = await openTestDatabase();
const ws = await createWorkspace(database.db, { slug: 'p', name: 'p' });
const key = (await createApiKey(database.db, { tenantId: ws.id, name: 'k', role: 'admin', purposes: ['sales'] })).key;
const sink = new PassThrough(); sink.resume();
for (const level of ['info', 'warn']) {
  const app = await buildApp({ database, config: loadConfig({}, { logLevel: level }), mailer: { async send() {}, async close() {} }, logStream: sink });
  if (level === 'info') for (let i = 0; i < 200; i++) await app.inject({ method: 'POST', url: '/api/v1/contacts', headers: { authorization: `Bearer ${key}` }, payload: { firstName: 'A' + i, lastName: 'B', email: `a${i}@example.com`, phone: '+1555010' + String(i).padStart(4, '0'), jobTitle: 'Engineer', city: 'Berlin', country: 'DE' } });
  await database.query('analyze');
  const samples: number[] = [];
  for (let i = 0; i < 400; i++) { const s = performance.now(); await app.inject({ method: 'GET', url: '/api/v1/contacts?limit=50', headers: { authorization: `Bearer ${key}` } }); if (i >= 50) samples.push(performance.now() - s); }
  samples.sort((a, b) => a - b);
  console.log(level, 'median', samples[Math.floor(samples.length / 2)].toFixed(2), 'p95', samples[Math.floor(samples.length * 0.95)].toFixed(2));
  await app.close();
}
const raw: number[] = [];
for (let i = 0; i < 400; i++) { const s = performance.now(); await database.query('select * from contacts where tenant_id = $1 order by created_at, id limit 51', [ws.id]); if (i >= 50) raw.push(performance.now() - s); }
raw.sort((a, b) => a - b);
console.log('raw median', raw[Math.floor(raw.length / 2)].toFixed(2), 'p95', raw[Math.floor(raw.length * 0.95)].toFixed(2));
await database.close();
