import { openDatabase } from './src/db/connection.ts';
import { migrateDatabase } from './src/db/migrate.ts';
import { ensureDemoWorkspace } from './src/crm/seed/demoWorkspace.ts';
const db = await openDatabase({ dataDir: process.argv[2] });
await migrateDatabase(db);
let cpu = process.cpuUsage(); let t0 = performance.now();
await ensureDemoWorkspace(db, { slug: 'big', contacts: Number(process.argv[3]), log: console.log, progress: (phase) => { cpu = process.cpuUsage(); t0 = performance.now(); return { tick() {}, fail() {}, finish() { const c = process.cpuUsage(cpu); console.log(phase, 'cpu', Math.round((c.user + c.system) / 1000), 'wall', Math.round(performance.now() - t0)); } }; } });
await db.close();
