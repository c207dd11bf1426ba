import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');

// The web app shares the editor's extension list and the referential with the server, by
// alias, from the same sources (libs/editor, libs/domain, libs/contracts): one schema, never
// two. One alias per library, each to its browser entry.
export default defineConfig({
  root: here,
  base: '/',
  resolve: {
    alias: {
      '@carnet/editor': path.join(root, 'libs/editor/src/browser.ts'),
      '@carnet/domain': path.join(root, 'libs/domain/src/browser.ts'),
      '@carnet/contracts': path.join(root, 'libs/contracts/src/index.ts'),
    },
  },
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 800,
    rollupOptions: {
      // @tiptap/react marks itself "use client" for React Server Components; meaningless here.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  server: { port: 5173, proxy: { '/api': 'http://127.0.0.1:3000' } },
});
