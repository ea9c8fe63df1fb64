import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { precompressAssets } from '../web/precompress.ts';

// The web build's plugin that writes compressed copies for the static file server.

const outDir = mkdtempSync(join(tmpdir(), 'candor-precompress-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

function writeAsset(name: string, content: string): string {
  mkdirSync(join(outDir, 'assets'), { recursive: true });
  writeFileSync(join(outDir, 'assets', name), content);
  return `assets/${name}`;
}

describe('precompressing the built assets', () => {
  it('writes a Brotli and a gzip copy of each large text file that decompress to the file, and leaves the rest alone', async () => {
    const script = `export const rows = ${JSON.stringify(Array.from({ length: 300 }, (_, index) => `row ${index}`))};\n`;
    const files = [writeAsset('app-1.js', script), writeAsset('style-1.css', 'a{color:red}'), writeAsset('mark-1.png', 'x'.repeat(4096))];
    const plugin = precompressAssets();
    const writeBundle = plugin.writeBundle as (options: { dir: string }, bundle: Record<string, unknown>) => Promise<void>;
    await writeBundle({ dir: outDir }, Object.fromEntries(files.map((file) => [file, {}])));
    const base = join(outDir, 'assets');
    expect(brotliDecompressSync(readFileSync(join(base, 'app-1.js.br'))).toString()).toBe(script);
    expect(gunzipSync(readFileSync(join(base, 'app-1.js.gz'))).toString()).toBe(script);
    expect(readFileSync(join(base, 'app-1.js.br')).length).toBeLessThan(script.length / 3);
    // Too small to gain, and an image format that is compressed already.
    for (const skipped of ['style-1.css', 'mark-1.png'])
      expect([existsSync(join(base, `${skipped}.br`)), existsSync(join(base, `${skipped}.gz`))]).toEqual([false, false]);
  });
});

describe("the web app's build", () => {
  it('carries the compressed copies of the script its page loads first (npm ci builds it)', () => {
    const dist = join(import.meta.dirname, '..', 'web', 'dist');
    const entry = /src="\/(assets\/index-[\w-]+\.js)"/.exec(readFileSync(join(dist, 'index.html'), 'utf8'))?.[1];
    expect(entry).toBeDefined();
    const script = readFileSync(join(dist, `${entry}`));
    expect(brotliDecompressSync(readFileSync(join(dist, `${entry}.br`)))).toEqual(script);
    expect(gunzipSync(readFileSync(join(dist, `${entry}.gz`)))).toEqual(script);
  });
});
