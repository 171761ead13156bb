// Renders the PNG app icons from public/icons/icon.svg with headless Chromium, so the SVG stays
// the single source of the artwork. Run: node scripts/make-icons.mjs (needs a Chromium; see README).
import { readFile } from 'node:fs/promises';
import { chromium } from '@playwright/test';
import { chromiumExecutable } from '../e2e/chromium.mjs';

const svg = await readFile(new URL('../public/icons/icon.svg', import.meta.url), 'utf8');
const browser = await chromium.launch({ executablePath: chromiumExecutable(), args: ['--no-sandbox'] });
const page = await browser.newPage();

async function render(file, size, maskable) {
  // A maskable icon is full-bleed: the platform crops it, so the glyph sits in the central 80 %.
  const inner = maskable
    ? `<div style="width:${size}px;height:${size}px;background:#2f5d50;display:grid;place-items:center">
         <div style="width:${size * 0.8}px;height:${size * 0.8}px">${svg}</div></div>`
    : `<div style="width:${size}px;height:${size}px">${svg}</div>`;
  await page.setViewportSize({ width: size, height: size });
  await page.setContent(`<style>*{margin:0}svg{width:100%;height:100%;display:block}</style>${inner}`);
  await page.screenshot({ path: new URL(`../public/icons/${file}`, import.meta.url).pathname, omitBackground: true });
}

await render('icon-192.png', 192, false);
await render('icon-512.png', 512, false);
await render('maskable-512.png', 512, true);
await browser.close();
