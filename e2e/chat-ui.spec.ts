import AxeBuilder from '@axe-core/playwright';
import type { Locator } from '@playwright/test';
import { expect, test, type Page } from './test';
import { addTinyModel, loadModel } from './helpers';

async function chatOnce(page: Page, text: string) {
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByLabel('Max tokens').fill('24');
  await page.getByLabel('Max tokens').press('Tab');
  await page.getByRole('button', { name: 'Settings' }).click();
  const composer = page.getByRole('textbox', { name: 'Message', exact: true });
  await composer.fill(text);
  await composer.press('Enter');
  await expect(page.getByTestId('reply-stats')).toContainText('24 tokens');
}

for (const colorScheme of ['light', 'dark'] as const) {
  test(`the chat view with a conversation and the sidebar open has no serious accessibility violations (${colorScheme})`, async ({
    page,
  }, testInfo) => {
    await page.emulateMedia({ colorScheme });
    await page.setViewportSize({ width: 1280, height: 800 });
    await addTinyModel(page);
    await page.goto('/#/chat');
    await loadModel(page);
    await chatOnce(page, 'Hello there, how does this work?');
    await expect(page.getByRole('complementary', { name: 'Conversations' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Conversations', exact: true })).toHaveAttribute(
      'aria-expanded',
      'true',
    );
    // The reply is announced once, politely, by a status region (not the whole log).
    await expect(page.getByTestId('reply-announcer')).toContainText('Nook replied: Nook runs');
    await expect(page.getByRole('list', { name: 'Conversation', exact: true })).not.toHaveAttribute('aria-live', /.*/);
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.screenshot({ path: testInfo.outputPath(`desktop-${colorScheme}.png`), fullPage: true });

    const results = await new AxeBuilder({ page }).analyze();
    const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  });
}

test('on a phone (390×844) the layout fits, the composer shows, and the sidebar slides in and out', async ({
  page,
}, testInfo) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await addTinyModel(page);
  await page.goto('/#/chat');
  await loadModel(page);
  await chatOnce(page, 'A question from my phone, long enough to wrap onto a few lines of the bubble');

  const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(await overflow()).toBeLessThanOrEqual(0);
  // The header puts the five views on one row of their own under the logo, each wholly on screen;
  // the chat's buttons share one row (Export does not wrap onto a line of its own) and the title
  // has the next one to itself.
  const middle = async (target: Locator) => {
    const box = (await target.boundingBox())!;
    return Math.round(box.y + box.height / 2);
  };
  const logo = await middle(page.getByRole('link', { name: 'Nook home' }));
  const views = ['Chat', 'Summarize', 'Documents', 'Translate', 'Models'];
  const viewsRow = await middle(page.getByRole('link', { name: 'Chat', exact: true }));
  expect(viewsRow).toBeGreaterThan(logo);
  for (const view of views) {
    const link = page.getByRole('link', { name: view, exact: true });
    expect(Math.abs((await middle(link)) - viewsRow)).toBeLessThanOrEqual(4);
    await expect(link).toBeInViewport({ ratio: 1 });
  }
  const buttonsRow = await middle(page.getByRole('button', { name: 'Conversations', exact: true }));
  expect(await middle(page.getByRole('button', { name: 'Settings' }))).toBe(buttonsRow);
  expect(await middle(page.locator('summary', { hasText: 'Export' }))).toBe(buttonsRow);
  const title = page.getByTestId('conversation-title');
  expect(await middle(title)).toBeGreaterThan(buttonsRow);
  await expect(title).toBeInViewport({ ratio: 1 });
  const composer = page.getByRole('textbox', { name: 'Message', exact: true });
  await expect(composer).toBeInViewport();
  await expect(page.getByRole('button', { name: 'Send' })).toBeInViewport();
  await page.screenshot({ path: testInfo.outputPath('phone-chat.png') });

  // The sidebar starts closed on a phone, opens over the chat, and closes again.
  const sidebar = page.getByRole('complementary', { name: 'Conversations' });
  const toggle = page.getByRole('button', { name: 'Conversations', exact: true });
  await expect(sidebar).toBeHidden();
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await toggle.click();
  await expect(sidebar).toBeInViewport();
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  const box = await sidebar.boundingBox();
  expect(box!.width).toBeLessThanOrEqual(390);
  expect(await overflow()).toBeLessThanOrEqual(0);
  await page.screenshot({ path: testInfo.outputPath('phone-sidebar.png') });
  // Opening a conversation closes it; so do Escape and the backdrop.
  await page.getByTestId('conversation-item').getByRole('button').first().click();
  await expect(sidebar).toBeHidden();
  await toggle.click();
  await page.keyboard.press('Escape');
  await expect(sidebar).toBeHidden();
  await toggle.click();
  await page.getByRole('button', { name: 'Close conversations' }).click({ position: { x: 380, y: 400 } });
  await expect(sidebar).toBeHidden();
  await expect(composer).toBeInViewport();
});
