// Builds the add-in pages from addin/ into dist/addin/, which the Worker serves at the site root:
// /excel/taskpane.html, /outlook/taskpane.html, /functions/functions.{html,js,json},
// /commands/commands.html, /assets/*. The plugins (icons, functions.js, size budget) live in
// scripts/build-addin.ts.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { ADDIN_OUT, ADDIN_PAGES, ADDIN_ROOT, addinPlugins } from './scripts/build-addin';

export default defineConfig({
  root: ADDIN_ROOT,
  // Relative URLs: the pages work at the site root and from any static server or sub-path.
  base: './',
  publicDir: false,
  plugins: [react(), ...addinPlugins()],
  build: {
    outDir: ADDIN_OUT,
    emptyOutDir: true,
    // Office's webviews: WebView2 (Edge), WKWebView on Mac (Safari 16.4+), Chromium on the web.
    target: ['es2022', 'chrome109', 'safari16'],
    sourcemap: false,
    reportCompressedSize: false,
    // exceljs (~930 KB, loaded only when a browser-mode user opens or downloads a workbook) is
    // the one big chunk; the first-screen budget is checked by leadpane:budget instead.
    chunkSizeWarningLimit: 1000,
    rolldownOptions: {
      input: ADDIN_PAGES,
    },
  },
  server: {
    // `npx vite` serves the panes on http://localhost:5173 and forwards the API to wrangler dev.
    proxy: { '/api': 'http://localhost:8787' },
  },
});
