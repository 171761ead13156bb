import { rm, truncate, writeFile } from 'node:fs/promises';
import { expect, test, type Page } from './test';
import { expectedReply } from '../test-support/make-tiny-model.mjs';
import { pdfWithText } from './fixtures/documents';
import {
  addModelByUrl,
  addTinyModel,
  composer,
  conversationItems,
  loadModel,
  MODEL_HOST,
  startOffline,
  TINY_MODEL_NAME,
} from './helpers';

/**
 * Absurd and malformed input everywhere a user can put data, beyond what the feature specs cover:
 * each gets a clear message, and nothing already stored is damaged.
 */

async function setField(page: Page, label: string, value: string) {
  const field = page.getByLabel(label);
  await field.fill(value);
  await field.press('Tab');
}

test('absurd generation settings in the settings panel are refused or clamped, visibly, and replies obey', async ({
  page,
  context,
}) => {
  await startOffline(page, context);
  await page.getByRole('button', { name: 'Settings' }).click();

  // Not a number at all (an emptied field is NaN): refused, the old value kept and named.
  await setField(page, 'Temperature', '');
  await expect(page.getByText('Temperature must be a number from 0 to 2. Kept 0.7.')).toBeVisible();
  await expect(page.getByLabel('Temperature')).toHaveAttribute('aria-invalid', 'true');
  await setField(page, 'Top-p', '1e999'); // Infinity
  await expect(page.getByText('Top-p must be a number from 0.01 to 1. Kept 0.95.')).toBeVisible();
  // Out of range: clamped, and the note says to what.
  await setField(page, 'Top-p', '0');
  await expect(page.getByLabel('Top-p')).toHaveValue('0.01');
  await expect(page.getByText('Top-p must be from 0.01 to 1: set to 0.01.')).toBeVisible();
  await setField(page, 'Max tokens', '-5');
  await expect(page.getByLabel('Max tokens')).toHaveValue('1');
  await expect(page.getByText('Max tokens must be from 1 to 4096: set to 1.')).toBeVisible();
  await setField(page, 'Temperature', '0');

  // The engine gets exactly what the panel shows: a one-token reply.
  await composer(page).fill('Say something');
  await composer(page).press('Enter');
  const reply = page.getByTestId('message-assistant').first();
  await expect(reply.getByTestId('reply-stats')).toContainText(/^\s*1 token ·/);
  await expect(reply.getByTestId('message-text')).toHaveText(expectedReply(1));
  await expect(page.getByRole('alert')).toHaveCount(0);

  // What was stored is what was shown, after a reload too.
  await page.reload();
  await page.getByRole('button', { name: 'Settings' }).click();
  await expect(page.getByLabel('Temperature')).toHaveValue('0');
  await expect(page.getByLabel('Top-p')).toHaveValue('0.01');
  await expect(page.getByLabel('Max tokens')).toHaveValue('1');
});

test('imported files with absurd settings, the wrong shape, binary content or absurd size are refused; stored conversations stay', async ({
  page,
}, testInfo) => {
  const conversation = (settings: unknown, title = 'Kept safe') => ({
    schemaVersion: 1,
    id: `c-${title}`,
    title,
    createdAt: 1,
    updatedAt: 2,
    systemPrompt: '',
    settings,
    messages: [{ id: 'u', role: 'user', content: 'Remember me', createdAt: 1 }],
  });
  const envelope = (conversations: unknown[]) =>
    JSON.stringify({ format: 'nook-conversations', version: 1, exportedAt: '2026-01-01', conversations });
  const importFile = (name: string, buffer: Buffer) =>
    page.getByLabel('Import conversations').setInputFiles({ name, mimeType: 'application/json', buffer });

  await page.goto('/#/chat');
  await importFile(
    'good.json',
    Buffer.from(envelope([conversation({ temperature: 0.7, topP: 0.95, maxTokens: 512 })])),
  );
  await expect(page.getByRole('status').filter({ hasText: 'Imported 1 conversation.' })).toBeVisible();
  await expect(conversationItems(page)).toHaveCount(1);

  const refused: [string, Buffer, RegExp][] = [
    [
      'negative max tokens',
      Buffer.from(envelope([conversation({ temperature: 0.7, topP: 0.95, maxTokens: -5 }, 'Bad 1')])),
      /generation settings that are missing or out of range/,
    ],
    [
      'an infinite temperature (1e999 in the JSON text)',
      Buffer.from(
        envelope([conversation({ temperature: 0.7, topP: 0.95, maxTokens: 512 }, 'Bad 2')]).replace(
          '"temperature":0.7',
          '"temperature":1e999',
        ),
      ),
      /generation settings that are missing or out of range/,
    ],
    [
      'NaN written as text, and huge max tokens',
      Buffer.from(envelope([conversation({ temperature: 'NaN', topP: 0.95, maxTokens: 1e12 }, 'Bad 3')])),
      /generation settings that are missing or out of range/,
    ],
    ['no settings at all', Buffer.from(envelope([conversation(null, 'Bad 4')])), /generation settings/],
    ['a JSON array', Buffer.from('[1, 2, 3]'), /not a Nook conversation export/],
    ['a JSON string', Buffer.from('"conversations"'), /not a Nook conversation export/],
    ['an empty file', Buffer.alloc(0), /not valid JSON/],
    [
      'binary data',
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff, 0xfe, 0x00]),
      /not valid JSON/,
    ],
  ];
  for (const [what, buffer, reason] of refused) {
    await test.step(what, async () => {
      await importFile(`${what}.json`, buffer);
      const alert = page.getByRole('alert');
      await expect(alert).toContainText(reason);
      await expect(alert).toContainText('Nothing was changed.');
      await expect(conversationItems(page)).toHaveCount(1);
    });
  }

  await test.step('a 3 GB file (sparse on disk), refused before it is read', async () => {
    const path = testInfo.outputPath('huge.json');
    await writeFile(path, '');
    await truncate(path, 3 * 1024 ** 3);
    const started = Date.now();
    await page.getByLabel('Import conversations').setInputFiles(path);
    await expect(page.getByRole('alert')).toHaveText(
      'Import refused: The file is too large to be a Nook export. Nothing was changed.',
    );
    expect(Date.now() - started).toBeLessThan(5_000);
    await rm(path);
  });

  await page.reload();
  await expect(conversationItems(page)).toHaveCount(1);
  await conversationItems(page).getByRole('button').first().click();
  await expect(page.getByTestId('message-user').getByTestId('message-text')).toHaveText('Remember me');
});

test('binary, empty and truncated files are refused by Summarize with a reason; saved summaries stay', async ({
  page,
  context,
}) => {
  test.setTimeout(120_000);
  await startOffline(page, context, { view: '/#/summarize' });
  await page.getByLabel('Text to summarize').fill('Nook keeps notes private.');
  await page.getByRole('button', { name: 'Summarize', exact: true }).click();
  await expect(page.getByTestId('summary-history-item')).toHaveCount(1, { timeout: 30_000 });

  const random = Buffer.alloc(4096);
  for (let i = 0; i < random.length; i++) random[i] = (i * 2654435761) >>> 24; // deterministic noise
  const pdf = await pdfWithText([['A report that was cut off in transit.'], ['Page two.']]);
  const files: [string, string, Buffer, RegExp][] = [
    ['notes.md', 'text/markdown', random, /“notes\.md” is not a text file/],
    [
      'log.txt',
      'text/plain',
      Buffer.concat([Buffer.from('start of a log\n'), Buffer.alloc(512, 0)]),
      /not a text file/,
    ],
    ['empty.txt', 'text/plain', Buffer.alloc(0), /“empty\.txt”.*(empty|no text)/],
    ['cut-off.pdf', 'application/pdf', pdf.subarray(0, Math.floor(pdf.length / 2)), /“cut-off\.pdf”.*damaged/],
    ['model.gguf', 'application/octet-stream', Buffer.from('GGUF\x03\x00\x00\x00'), /Nook cannot read “model\.gguf”/],
  ];
  for (const [name, mimeType, buffer, message] of files) {
    await test.step(name, async () => {
      await page.getByLabel('Open file').setInputFiles({ name, mimeType, buffer });
      await expect(page.getByRole('alert')).toHaveText(message);
      await expect(page.getByTestId('summary-source')).toHaveCount(0);
    });
  }
  await page.reload();
  await expect(page.getByTestId('summary-history-item')).toHaveCount(1);
});

test('a corrupt GGUF is refused by the engine with a reason; the other model stays stored and runs', async ({
  page,
}) => {
  await addTinyModel(page);
  await addTinyModel(page, `${MODEL_HOST}/models/corrupt.gguf`, 'Nook Corrupt Test');
  await page.goto('/#/chat');
  await page.getByRole('button', { name: 'Load Nook Corrupt Test' }).click();
  await expect(page.getByRole('alert')).toContainText(/could not load Nook Corrupt Test/, { timeout: 30_000 });
  await expect(page.getByRole('alert')).toHaveText(
    "llama.cpp could not load Nook Corrupt Test: unknown model architecture: 'llamx'",
  );

  await loadModel(page);
  await page.getByRole('button', { name: 'Settings' }).click();
  await setField(page, 'Max tokens', '8');
  await composer(page).fill('Still there?');
  await composer(page).press('Enter');
  await expect(page.getByTestId('message-assistant').getByTestId('message-text')).toHaveText(expectedReply(8));
  await page.goto('/#/models');
  await expect(page.getByTestId('model-item')).toHaveCount(2);
  await expect(page.getByTestId('model-item').filter({ hasText: TINY_MODEL_NAME })).toContainText('Available offline');
});

test('plain-http model addresses off this computer are refused before any request, with the reason', async ({
  page,
}) => {
  await addModelByUrl(page, 'http://192.168.1.20/models/model.gguf');
  await expect(page.getByRole('alert')).toHaveText(
    'Plain http is allowed only for this computer (localhost or 127.0.0.1); 192.168.1.20 must be reached over https.',
  );
  await expect(page.getByTestId('model-item')).toHaveCount(0);

  await page.getByLabel('Mirror base URL').fill('http://nas.local:8080/models');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('alert')).toContainText('nas.local:8080 must be reached over https');
  await expect(page.getByText('Using the default hosts.')).toBeVisible();
  // The privacy fixture proves no request went to either host.
});
