/// <reference types="vitest" />
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The dashboard is served by the FastAPI app from the same origin, so the API lives at /api/v1
// and there is nothing to configure for production. `npm run dev` proxies the API to a local server.
export default defineConfig({
  plugins: [react()],
  build: {
    outDir: "dist",
    sourcemap: false,
    // Keep the first screen small: charts are split out by React.lazy, shared vendor code into one cached chunk.
    rollupOptions: {
      output: {
        manualChunks(id) {
          // Only the libraries every screen needs; recharts and its dependencies stay in the lazy Analytics chunk.
          return /[\\/]node_modules[\\/](react|react-dom|react-router|react-router-dom|@remix-run|scheduler|@tanstack)[\\/]/.test(id)
            ? "vendor"
            : undefined;
        },
      },
    },
  },
  server: {
    proxy: { "/api": "http://127.0.0.1:8000" },
  },
  test: {
    environment: "jsdom",
    setupFiles: ["./src/test/setup.ts"],
    include: ["src/**/*.test.{ts,tsx}"],
    css: false,
  },
});
