// Memory across chats, under the user's control: facts kept only when the user says so (Remember
// this, or Remember when the model offers one through its `remember` tool), listed in Settings to
// edit or forget, and given to the model with the user's messages in later chats. The models are
// the generated "Nook Tiny Memory" (test-support/tiny-chat-models.mjs), which offers to remember
// a fact after every user message: on this device through wllama, and on the user's server through
// real llama.cpp (e2e/llama-server), whose kept prompts show what the model was given.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from './test';
import { startLlamaServer } from './llama-server/server.mjs';
import { makeChatFixture, REMEMBER_CALL, TOOLS_MEMORY } from '../test-support/tiny-chat-models.mjs';
import {
  addTinyModel,
  connectServer,
  MODEL_HOST,
  openSettings,
  sendAndWait,
  startOffline,
  useServerModel,
} from './helpers';

const MEMORY_URL = `${MODEL_HOST}/models/tools-memory.gguf`;
const FACT = REMEMBER_CALL.arguments.fact;

/** The Memory part of the chat's settings, its list unfolded. */
async function memoryList(page: Page) {
  await openSettings(page);
  const settings = page.getByTestId('memory-settings');
  const details = settings.locator('details');
  if ((await details.getAttribute('open')) === null) await details.locator('summary').click();
  return settings;
}

test('offline, a fact the model offers is stored only when accepted, and goes with a new chat', async ({
  page,
  context,
}) => {
  test.slow(); // three replies, each a tool round and an answer
  await startOffline(page, context, { url: MEMORY_URL, name: TOOLS_MEMORY.name });
  const first = await sendAndWait(page, 'My sister is called Ana.');
  await expect(first.getByTestId('message-text')).toHaveText(TOOLS_MEMORY.answer);
  const offer = first.getByTestId('memory-proposal');
  await expect(offer).toHaveText(new RegExp(`Remember that “${FACT}”\\?`));

  // Refused: nothing is stored.
  await offer.getByRole('button', { name: 'No, thanks' }).click();
  await expect(offer).toHaveText(`Not remembered: ${FACT}`);
  const settings = await memoryList(page);
  await expect(settings.getByTestId('memory-count')).toHaveText('0 facts remembered');

  // Accepted the next time: stored, and listed.
  const second = await sendAndWait(page, 'Please keep that in mind.');
  await second.getByTestId('memory-proposal').getByRole('button', { name: 'Remember' }).click();
  await expect(second.getByTestId('memory-proposal')).toHaveText(`Remembered: ${FACT}`);
  await expect(settings.getByTestId('memory-count')).toHaveText('1 fact remembered');
  await expect(settings.getByTestId('memory-item')).toContainText(FACT);

  // "Remember this" on a message, shortened first; a fact too long is refused with the reason.
  const mine = page.getByTestId('message-user').first();
  await mine.getByRole('button', { name: 'Remember this' }).click();
  const form = mine.getByTestId('remember-form');
  await form.getByLabel('Fact to remember').fill('x'.repeat(501));
  await form.getByRole('button', { name: 'Remember' }).click();
  await expect(form.getByRole('alert')).toHaveText(
    'That is 501 characters; a memory holds at most 500. Keep the fact itself.',
  );
  await form.getByLabel('Fact to remember').fill('My sister Ana lives in Lyon.');
  await form.getByRole('button', { name: 'Remember' }).click();
  await expect(form).toHaveCount(0);
  await expect(settings.getByTestId('memory-count')).toHaveText('2 facts remembered');

  // A new chat gets them with its message, and the reply says which it was given.
  await page.getByRole('button', { name: 'New conversation' }).click();
  const reply = await sendAndWait(page, 'Gift ideas for my sister?');
  const remembered = reply.getByTestId('remembered');
  await expect(remembered.locator('summary')).toHaveText('Remembered 2 facts');
  await remembered.locator('summary').click();
  await expect(remembered.getByRole('listitem')).toHaveText(['My sister Ana lives in Lyon.', FACT]);

  // Kept across a reload; edited and forgotten from Settings.
  await page.reload();
  const after = await memoryList(page);
  await expect(after.getByTestId('memory-item')).toHaveCount(2);
  const lyon = after.getByTestId('memory-item').filter({ hasText: 'Lyon' });
  await lyon.getByRole('button', { name: 'Edit' }).click();
  await after.getByLabel('Remembered fact', { exact: true }).fill('My sister Ana lives in Nantes.');
  await after.getByRole('button', { name: 'Save' }).click();
  await expect(after.getByTestId('memory-item').first()).toHaveText(/My sister Ana lives in Nantes\./);
  await after.getByTestId('memory-item').first().getByRole('button', { name: 'Forget' }).click();
  await expect(after.getByTestId('memory-item')).toHaveCount(1);
});

test.describe('on the user’s inference server', () => {
  let server: Awaited<ReturnType<typeof startLlamaServer>>;

  test.beforeAll(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'nook-memory-'));
    const modelPath = join(dir, 'memory.gguf');
    await writeFile(modelPath, makeChatFixture(TOOLS_MEMORY));
    server = await startLlamaServer({ modelPath, contextSize: 4096, modelId: 'memory' });
  });
  test.afterAll(async () => {
    await server?.close();
  });

  test('a remembered fact is in the prompt the model received, said so; forgotten, it is gone from the next', async ({
    page,
    privacy,
  }) => {
    privacy.allow(server.url);
    await addTinyModel(page, MEMORY_URL, TOOLS_MEMORY.name);
    await connectServer(page, server.url);
    await useServerModel(page, 'memory', server.url);
    const offer = (await sendAndWait(page, 'My sister is called Ana.')).getByTestId('memory-proposal');
    await offer.getByRole('button', { name: 'Remember' }).click();
    await expect(offer).toHaveText(`Remembered: ${FACT}`);

    const lastUserMessage = (messages: { role: string; content: unknown }[]) =>
      String(messages.filter((m) => m.role === 'user').at(-1)?.content);
    const asked = server.prompts.length;
    const reply = await sendAndWait(page, 'Gift ideas?');
    expect(lastUserMessage(server.prompts[asked]!)).toContain(`- ${FACT}\n\nGift ideas?`);
    await expect(reply.getByTestId('remembered').locator('summary')).toHaveText(
      `Remembered 1 fact, sent to ${new URL(server.url).host} with your message`,
    );

    const settings = await memoryList(page);
    await settings.getByTestId('memory-item').getByRole('button', { name: 'Forget' }).click();
    await expect(settings.getByTestId('memory-count')).toHaveText('0 facts remembered');
    const again = server.prompts.length;
    const next = await sendAndWait(page, 'More ideas?');
    expect(lastUserMessage(server.prompts[again]!)).toBe('More ideas?');
    await expect(next.getByTestId('remembered')).toHaveCount(0);

    // Memory off: no fact goes, and the model is offered no way to propose one.
    await memoryList(page);
    await page.getByLabel('Remember facts across chats').uncheck();
    const off = server.prompts.length;
    const quiet = await sendAndWait(page, 'Anything else?');
    expect(lastUserMessage(server.prompts[off]!)).toBe('Anything else?');
    await expect(quiet.getByTestId('memory-proposal')).toHaveCount(0);
  });
});
