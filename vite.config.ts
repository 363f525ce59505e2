import react from '@vitejs/plugin-react';
import { resolve } from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import electron from 'vite-plugin-electron/simple';
import { CONTENT_SECURITY_POLICY } from './shared/csp';

const root = __dirname;
// pdfjs-dist loads its worker module beside itself at run time, so it stays a package, not bundled.
const nativeExternals = ['better-sqlite3', /^pdfjs-dist(\/|$)/];

/** Puts the one CSP (shared/csp.ts) into the built index.html. */
function contentSecurityPolicy(): Plugin {
  return {
    name: 'parallax-csp',
    transformIndexHtml: () => [
      { tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY }, injectTo: 'head-prepend' },
    ],
  };
}

export default defineConfig({
  root: resolve(root, 'renderer'),
  base: './',
  build: {
    outDir: resolve(root, 'dist'),
    emptyOutDir: true,
    target: 'chrome130',
    chunkSizeWarningLimit: 1500,
  },
  plugins: [
    react(),
    contentSecurityPolicy(),
    electron({
      main: {
        // The store worker (heavy database work off the main thread) is its own entry file.
        entry: { main: resolve(root, 'electron/main.ts'), 'store-worker': resolve(root, 'electron/services/store/jobs/worker.ts') },
        vite: {
          build: {
            outDir: resolve(root, 'dist-electron'),
            rolldownOptions: { external: nativeExternals },
          },
        },
      },
      preload: {
        input: resolve(root, 'electron/preload.ts'),
        vite: {
          build: {
            outDir: resolve(root, 'dist-electron'),
            rolldownOptions: { output: { format: 'cjs' } },
          },
        },
      },
    }),
  ],
});
