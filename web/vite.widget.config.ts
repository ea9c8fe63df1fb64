import { defineConfig } from 'vite';

// The consent widget (src/widget/), built on its own into dist/widget/consent.js after the
// app's build: one classic script, no module loader and no dependency, that other sites
// embed with a script tag and Candor serves at /widget/consent.js (src/http/consentWidgetScript.ts).
export default defineConfig({
  publicDir: false,
  build: {
    outDir: 'dist/widget',
    emptyOutDir: false,
    target: 'es2020',
    lib: { entry: 'src/widget/consentWidget.ts', formats: ['iife'], name: 'CandorConsentWidget', fileName: () => 'consent.js' },
  },
});
