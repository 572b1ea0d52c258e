import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

export default defineConfig({
  main: {
    build: {
      rollupOptions: { input: { index: resolve('electron/main/index.ts') } },
    },
  },
  preload: {
    build: {
      // Each window gets its own sandboxed preload, and a sandboxed preload must be one CommonJS
      // file: no shared chunks, no require of node_modules (check out/preload after a build).
      externalizeDeps: false,
      isolatedEntries: true,
      rollupOptions: {
        input: { cashier: resolve('electron/preload/cashier.ts'), display: resolve('electron/preload/display.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve('renderer'),
    // Relative asset paths: the same build is served by the app:// protocol and by web mode.
    base: './',
    plugins: [react()],
    build: {
      // electron-vite leaves this off; web mode may serve the pages to a tablet over the shop's Wi-Fi.
      minify: true,
      rollupOptions: { input: { index: resolve('renderer/index.html'), display: resolve('renderer/display.html') } },
    },
  },
});
