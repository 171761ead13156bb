import { describe, expect, it } from 'vitest';
import { DownloadTitle, endTitle, progressTitle } from './download-title';
import { FakeTab } from './testing/fake-tab';

describe('the tab title of a model download', () => {
  it('gives the whole percent, or only that one runs when the size is unknown', () => {
    expect(progressTitle('Nook', 0, 400_000_000)).toBe('0% · Nook');
    expect(progressTitle('Nook', 167_999_999, 400_000_000)).toBe('41% · Nook');
    expect(progressTitle('Nook', 400_000_000, 400_000_000)).toBe('100% · Nook');
    expect(progressTitle('Nook', 5_000, undefined)).toBe('Downloading · Nook');
    expect(progressTitle('Nook', 5_000, 0)).toBe('Downloading · Nook');
  });

  it('tells a stored model or a stopped download, and nothing for a cancel', () => {
    expect(endTitle('Nook', 'stored')).toBe('Model ready · Nook');
    expect(endTitle('Nook', 'failed')).toBe('Download stopped · Nook');
    expect(endTitle('Nook', 'cancelled')).toBeUndefined();
  });

  it('follows the progress, and is the app title again when the download ends on a page in view', () => {
    const tab = new FakeTab();
    const title = new DownloadTitle(tab);
    title.progress(0, 1000);
    expect(tab.title).toBe('0% · Nook');
    title.progress(425, 1000);
    expect(tab.title).toBe('42% · Nook');
    title.ended('stored');
    expect(tab.title).toBe('Nook');
    expect(tab.listeners).toBe(0);
  });

  it('keeps the news of a download that ended while the page was hidden until the page is shown', () => {
    const tab = new FakeTab();
    const title = new DownloadTitle(tab);
    title.progress(10, 1000);
    tab.setVisible(false);
    title.progress(990, 1000);
    title.ended('stored');
    expect(tab.title).toBe('Model ready · Nook');
    tab.setVisible(true);
    expect(tab.title).toBe('Nook');
    expect(tab.listeners).toBe(0);
  });

  it('says a download stopped while hidden, even before any byte came', () => {
    const tab = new FakeTab();
    tab.setVisible(false);
    new DownloadTitle(tab).ended('failed');
    expect(tab.title).toBe('Download stopped · Nook');
  });

  it('leaves no news for a cancel, and a new download replaces old news', () => {
    const tab = new FakeTab();
    const title = new DownloadTitle(tab);
    tab.setVisible(false);
    title.progress(1, 10);
    title.ended('cancelled');
    expect(tab.title).toBe('Nook');
    title.ended('failed');
    title.progress(2, 10);
    expect(tab.title).toBe('20% · Nook');
    expect(tab.listeners).toBe(0);
    title.ended('stored');
    expect(tab.title).toBe('Model ready · Nook');
  });
});
