// Builds the dashboard into dist/apps/dashboard with relative asset URLs, so the same files work under
// the exporter's /dashboard/ and from any other static host.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: './',
  build: {
    outDir: fileURLToPath(new URL('../../dist/apps/dashboard', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
  },
  server: {
    // `npx vite apps/dashboard` during development: the API comes from a running exporter or dev host.
    proxy: { '/api': { target: process.env.DASHBOARD_API ?? 'http://127.0.0.1:9435/dashboard', changeOrigin: true } },
  },
});
