import { defineConfig } from '@playwright/test';
import { mkdirSync, writeFileSync } from 'node:fs';
import { chromiumArgs, chromiumExecutable, chromiumMissing, privacyProxyArgs } from './e2e/chromium.mjs';
import { makeSpokenWav } from './test-support/make-tiny-whisper.mjs';

/** Ports can be moved (NOOK_APP_PORT, NOOK_MODEL_PORT) so two checkouts can test side by side. */
export const APP_PORT = Number(process.env.NOOK_APP_PORT ?? 4173);
export const MODEL_PORT = Number(process.env.NOOK_MODEL_PORT ?? 4180);
/**
 * The recording proxy every request of the browser goes through (see e2e/test.ts). Next to the
 * model port, not +10: 4190 is on the Fetch standard's list of blocked ports.
 */
export const PROXY_PORT = Number(process.env.NOOK_PROXY_PORT ?? MODEL_PORT + 1);
// e2e/test.ts reads it from here, in the test workers.
process.env.NOOK_PROXY_PORT = String(PROXY_PORT);

const browserArgs = [...chromiumArgs, ...privacyProxyArgs(PROXY_PORT)];

const executablePath = chromiumExecutable();
const noChromium = chromiumMissing();
if (noChromium) throw new Error(noChromium);

/**
 * The speech project's Chromium: a fake microphone that plays a generated WAV (voice-like sound,
 * then silence) in a loop, and on-device voices through our own speech-dispatcher
 * (e2e/fixtures/speech-dispatcher.mjs, started by e2e/speech.setup.ts). The microphone permission
 * is granted per context (`permissions` below), not by `--use-fake-ui-for-media-stream`, which
 * would grant it to every context: a test can then open a context without it and meet the
 * browser's real refusal.
 */
const SPEECH_DIR = `/tmp/nook-e2e-speech-${APP_PORT}`;
export const SPEECHD_ADDRESS = `unix_socket:${SPEECH_DIR}/speechd.sock`;
process.env.NOOK_SPEECH_DIR = SPEECH_DIR;
mkdirSync(SPEECH_DIR, { recursive: true });
const SPEECH_WAV = `${SPEECH_DIR}/speech.wav`;
writeFileSync(SPEECH_WAV, makeSpokenWav());
const speechArgs = [
  '--use-fake-device-for-media-stream',
  `--use-file-for-fake-audio-capture=${SPEECH_WAV}`,
  '--enable-speech-dispatcher',
  '--autoplay-policy=no-user-gesture-required',
];

/**
 * e2e against the production build (the service worker only runs there), in Chromium with and
 * without WebGPU. The engine is never faked: the tiny generated model runs in real llama.cpp.
 */
export default defineConfig({
  testDir: './e2e',
  testMatch: '**/*.spec.ts',
  // Two cores: parallel wasm engines would only measure the machine's contention.
  workers: 1,
  fullyParallel: false,
  forbidOnly: true,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: 'list',
  use: {
    baseURL: `http://127.0.0.1:${APP_PORT}`,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      name: 'cpu',
      // The MLC engine needs WebGPU: its spec runs in the webgpu project only; speech has its own.
      testIgnore: [
        '**/models-webgpu.spec.ts',
        '**/speech.spec.ts',
        '**/speech-no-device.spec.ts',
        '**/low-memory.spec.ts',
      ],
      use: { browserName: 'chromium', launchOptions: { executablePath, args: browserArgs } },
    },
    {
      // The chat path again with a real WebGPU adapter exposed (SwiftShader, no shader-f16), and
      // the MLC engine and device fit against that real adapter.
      name: 'webgpu',
      testMatch: ['**/chat.spec.ts', '**/models-webgpu.spec.ts'],
      use: {
        browserName: 'chromium',
        launchOptions: { executablePath, args: [...browserArgs, '--enable-unsafe-webgpu'] },
      },
    },
    {
      // A tab that cannot get more memory, as on a phone: WebAssembly memory capped at 128 MB
      // (wllama's heap starts at 128 MB, so it starts, and no model over ~128 MB can load).
      name: 'low-memory',
      testMatch: ['**/low-memory.spec.ts'],
      use: {
        browserName: 'chromium',
        launchOptions: { executablePath, args: [...browserArgs, '--js-flags=--wasm-max-mem-pages=2048'] },
      },
    },
    { name: 'speech-setup', testMatch: ['**/speech.setup.ts'] },
    {
      name: 'speech',
      testMatch: ['**/speech.spec.ts', '**/speech-no-device.spec.ts'],
      dependencies: ['speech-setup'],
      use: {
        browserName: 'chromium',
        permissions: ['microphone'],
        launchOptions: {
          executablePath,
          args: [...browserArgs, ...speechArgs],
          env: { ...process.env, SPEECHD_ADDRESS },
        },
      },
    },
  ],
  webServer: [
    {
      command: `npx vite preview --host 127.0.0.1 --port ${APP_PORT} --strictPort`,
      url: `http://127.0.0.1:${APP_PORT}`,
      reuseExistingServer: !process.env.CI,
    },
    {
      command: `node e2e/fixtures/model-server.mjs --port ${MODEL_PORT}`,
      url: `http://127.0.0.1:${MODEL_PORT}/models/tiny.gguf`,
      reuseExistingServer: !process.env.CI,
    },
    {
      command: `node e2e/fixtures/privacy-proxy.mjs --port ${PROXY_PORT}`,
      url: `http://127.0.0.1:${PROXY_PORT}/__log?since=0`,
      reuseExistingServer: !process.env.CI,
    },
  ],
});
