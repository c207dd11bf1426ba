import path from 'node:path';
import { defineConfig } from 'vite';

const root = path.resolve(__dirname, '../..');

// The web app shares the editor's extension list and the referential with the server, by
// alias, from the same sources (libs/editor, libs/domain): one schema, never two.
export default defineConfig({
  root: __dirname,
  base: '/',
  resolve: {
    alias: {
      '@carnet/editor': path.join(root, 'libs/editor/src/browser.ts'),
      '@carnet/referential': path.join(root, 'libs/domain/src/traces/referential.ts'),
      '@carnet/phases': path.join(root, 'libs/domain/src/portfolio/phases.ts'),
    },
  },
  oxc: { jsx: { runtime: 'automatic' } },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 800 },
  server: { port: 5173, proxy: { '/api': 'http://127.0.0.1:3000' } },
});
