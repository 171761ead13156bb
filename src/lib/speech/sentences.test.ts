import { describe, expect, it } from 'vitest';
import { speakableText, takeSentences } from './sentences';

describe('takeSentences', () => {
  it('keeps the last, possibly unfinished sentence of a growing text for later', () => {
    const first = takeSentences('Hello there. How are', 0, false, 'en');
    expect(first.sentences).toEqual(['Hello there.']);
    const second = takeSentences('Hello there. How are you? Fine', first.next, false, 'en');
    expect(second.sentences).toEqual(['How are you?']);
    const last = takeSentences('Hello there. How are you? Fine', second.next, true, 'en');
    expect(last.sentences).toEqual(['Fine']);
  });

  it('reads every sentence exactly once however the text arrives, token by token', () => {
    const text = 'Nook runs on your device. Nothing leaves it! Does it work offline? Yes.';
    const heard: string[] = [];
    let next = 0;
    for (let end = 1; end <= text.length; end++) {
      const taken = takeSentences(text.slice(0, end), next, false, 'en');
      heard.push(...taken.sentences);
      next = taken.next;
    }
    heard.push(...takeSentences(text, next, true, 'en').sentences);
    expect(heard).toEqual(['Nook runs on your device.', 'Nothing leaves it!', 'Does it work offline?', 'Yes.']);
  });

  it('skips sentences with nothing to say', () => {
    expect(takeSentences('... \n\n', 0, true).sentences).toEqual([]);
  });
});

describe('speakableText', () => {
  it('drops markdown marks and link targets, names code blocks instead of spelling them', () => {
    const spoken = speakableText(
      '# Title\n\n**Bold** and `code` [a link](https://x.test)\n\n```js\nlet x = 1;\n```\n- item',
    );
    expect(spoken).not.toMatch(/[#*`]|https:/);
    expect(spoken).toContain('Bold and code a link');
    expect(spoken).toContain('(code)');
    expect(spoken).toContain('item');
    expect(spoken).not.toContain('let x');
  });
});
