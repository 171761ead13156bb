import { describe, expect, it } from 'vitest';
import { interruptedLoadMessage, LoadMarker } from './load-marker';
import { FakeBrowser } from './testing/fake-browser-locks';

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
const load = { modelId: 'qwen-1.5b', name: 'Qwen2.5 1.5B' };

describe('LoadMarker (a load whose tab died before it ended)', () => {
  it('tells, once, of the load of a tab that died while loading', async () => {
    const browser = new FakeBrowser();
    const dying = browser.tab();
    new LoadMarker(dying.host).begin(load);
    await settle();
    dying.crash();

    const next = new LoadMarker(browser.tab().host);
    expect(await next.takeInterrupted()).toEqual(load);
    expect(await next.takeInterrupted()).toBeUndefined();
  });

  it('tells nothing of a load that ended, failed or was closed with its page', async () => {
    const browser = new FakeBrowser();
    const marker = new LoadMarker(browser.tab().host);
    marker.begin(load);
    await settle();
    expect(browser.items.size).toBe(1);
    marker.end();
    expect(browser.items.size).toBe(0);
    expect(await new LoadMarker(browser.tab().host).takeInterrupted()).toBeUndefined();
  });

  it("leaves another tab's load in progress alone", async () => {
    const browser = new FakeBrowser();
    const loading = new LoadMarker(browser.tab().host);
    loading.begin(load);
    await settle();
    expect(await new LoadMarker(browser.tab().host).takeInterrupted()).toBeUndefined();
    expect(browser.items.size).toBe(1);
    loading.end();
    expect(browser.items.size).toBe(0);
  });

  it('marks nothing for a load that ended before its lock came', async () => {
    const browser = new FakeBrowser();
    const tab = browser.tab();
    const marker = new LoadMarker(tab.host);
    marker.begin(load);
    marker.end();
    await settle();
    tab.crash();
    expect(browser.items.size).toBe(0);
    expect(browser.held.size).toBe(0);
  });

  it("a second load replaces the first's marker, and ending it leaves no lock held", async () => {
    const browser = new FakeBrowser();
    const marker = new LoadMarker(browser.tab().host);
    marker.begin(load);
    await settle();
    marker.begin({ modelId: 'tiny', name: 'Tiny' });
    await settle();
    expect(JSON.parse(browser.items.get('nook:loading')!)).toMatchObject({ modelId: 'tiny' });
    marker.end();
    await settle();
    expect(browser.items.size).toBe(0);
    expect(browser.held.size).toBe(0);
  });

  it('ignores a damaged marker, and does nothing without storage or locks', async () => {
    const browser = new FakeBrowser();
    browser.items.set('nook:loading', '{not json');
    expect(await new LoadMarker(browser.tab().host).takeInterrupted()).toBeUndefined();
    const inert = new LoadMarker(undefined);
    inert.begin(load);
    inert.end();
    expect(await inert.takeInterrupted()).toBeUndefined();
  });
});

describe('interruptedLoadMessage', () => {
  it('says what happened, the likely cause and what to do, and that a stored model is kept', () => {
    expect(interruptedLoadMessage('Qwen2.5 1.5B', 1_120_000_000)).toBe(
      'Nook closed while loading Qwen2.5 1.5B (1.1 GB). That usually means the device ran out of memory for it. Before you load it again, close other tabs and apps, or choose a smaller model. It is still stored.',
    );
    expect(interruptedLoadMessage('Llama 3B', undefined)).not.toMatch(/stored|\(/);
  });
});
