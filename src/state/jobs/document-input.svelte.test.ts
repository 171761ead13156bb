import { describe, expect, it } from 'vitest';
import { StatusLineState } from '../shell/status-line.svelte';
import { SummaryInputState } from '../summarize/input.svelte';
import { TranslateInputState } from '../translate/input.svelte';

const markdownFile = (name: string, text: string) => new File([text], name, { type: 'text/markdown' });

describe('the job inputs (DocumentInputState, a real File read in Node)', () => {
  it('Summarize reads a Markdown file without its link targets; Translate keeps the file as it is', async () => {
    const summary = new SummaryInputState(new StatusLineState());
    const translation = new TranslateInputState(new StatusLineState(), () => {});
    const file = markdownFile('garden.md', '# Garden\n\nThe [roses](https://example.org/roses) need water.');
    await Promise.all([summary.openFile(file), translation.openFile(file)]);
    expect(summary.source).toMatchObject({ name: 'garden.md', kind: 'markdown' });
    expect(summary.text).toBe('# Garden\n\nThe roses need water.');
    expect(translation.text).toBe('# Garden\n\nThe [roses](https://example.org/roses) need water.');
    expect(translation.name).toBe('garden.md');
  });

  it('the newest file wins over one still being read; the box is used once the document is removed', async () => {
    const input = new SummaryInputState(new StatusLineState());
    input.draft = 'typed text';
    const first = input.openFile(markdownFile('first.md', 'First.'));
    const second = input.openFile(markdownFile('second.md', 'Second.'));
    expect(input.reading).toEqual({ name: 'second.md' });
    await Promise.all([first, second]);
    expect(input.reading).toBeUndefined();
    expect(input.source?.name).toBe('second.md');
    input.clearSource();
    expect(input.name).toBe('Pasted text');
    expect(input.text).toBe('typed text');
  });

  it('a file that cannot be read gets its sentence, and what was open stays', async () => {
    const status = new StatusLineState();
    const input = new TranslateInputState(status, () => {});
    await input.openFile(markdownFile('notes.md', 'Notes.'));
    await input.openFile(new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], 'photo.png', { type: 'image/png' }));
    expect(status.error).toMatch(/^Nook cannot read “photo\.png” \(image\/png\)/);
    expect(input.source?.name).toBe('notes.md');
  });

  it('Translate hears of every change of its text; removing its document clears the notice too', async () => {
    const status = new StatusLineState();
    let changes = 0;
    const input = new TranslateInputState(status, () => changes++);
    input.edited();
    input.use({ name: 'Chat reply', kind: 'chat-reply', text: 'Hello.' });
    status.tell('Stopped.');
    input.clearSource();
    expect(changes).toBe(3);
    expect(status.notice).toBeUndefined();

    const summaryStatus = new StatusLineState();
    const summary = new SummaryInputState(summaryStatus);
    summary.use({ name: 'Conversation', kind: 'conversation', text: 'Hello.' });
    summaryStatus.tell('Stopped. Nothing was saved.');
    summaryStatus.fail('An error.');
    summary.clearSource();
    expect(summaryStatus.error).toBeUndefined();
    expect(summaryStatus.notice).toBe('Stopped. Nothing was saved.');
  });
});
