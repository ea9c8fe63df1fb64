import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { precompressAssets } from './precompress.ts';

// The app is served by Candor itself (src/http/webApp.ts) under a strict Content-Security-Policy:
// every script and style is a file of this build, so nothing may be inlined into index.html.
// `npm run dev -w web` serves the sources with hot reload and hands the API to a Candor
// running on port 3000 (npm start).
export default defineConfig({
  plugins: [react(), precompressAssets()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    // Chromium, Firefox and Safari all preload modules: no polyfill to ship.
    modulePreload: { polyfill: false },
    // Small images and fonts stay files too, so the CSP needs no data: for them.
    assetsInlineLimit: 0,
    target: 'es2022',
  },
  server: {
    proxy: { '/api': 'http://localhost:3000', '/dev': 'http://localhost:3000' },
  },
});
