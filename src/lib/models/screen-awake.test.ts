import { describe, expect, it } from 'vitest';
import { whileScreenAwake, type AwakeHost } from './screen-awake';
import { FakeTab } from './testing/fake-tab';

/** A fake of the browser's wake lock over a fake page (FakeTab), which records the locks it gave. */
class FakeScreen extends FakeTab implements AwakeHost {
  refuse = false;
  readonly locks: { released: boolean; release(): Promise<void> }[] = [];
  wakeLock = {
    request: async (type: 'screen') => {
      expect(type).toBe('screen');
      if (this.refuse) throw new DOMException('Battery saver is on.', 'NotAllowedError');
      const lock = {
        released: false,
        release: async () => {
          lock.released = true;
        },
      };
      this.locks.push(lock);
      return lock;
    },
  };
  /** The page is hidden (the browser lets the lock go) or shown again. */
  override setVisible(visible: boolean) {
    if (!visible) for (const lock of this.locks) lock.released = true;
    super.setVisible(visible);
  }
  get held() {
    return this.locks.filter((lock) => !lock.released).length;
  }
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

/** A job the test ends by hand. */
function job() {
  let end!: (value: string) => void;
  let fail!: (error: Error) => void;
  const work = () =>
    new Promise<string>((resolve, reject) => {
      end = resolve;
      fail = reject;
    });
  return { work, end: (value: string) => end(value), fail: (error: Error) => fail(error) };
}

describe('whileScreenAwake', () => {
  it('keeps the screen on while the job runs, and lets go when it ends', async () => {
    const screen = new FakeScreen();
    const { work, end } = job();
    const running = whileScreenAwake(work, screen);
    await settle();
    expect(screen.held).toBe(1);
    end('stored');
    expect(await running).toBe('stored');
    await settle();
    expect(screen.held).toBe(0);
  });

  it('lets go when the job fails too, and passes the failure on', async () => {
    const screen = new FakeScreen();
    const { work, fail } = job();
    const running = whileScreenAwake(work, screen);
    await settle();
    fail(new Error('connection broke'));
    await expect(running).rejects.toThrow('connection broke');
    await settle();
    expect(screen.held).toBe(0);
  });

  it('takes the lock again when the page is shown again, and not while it is hidden', async () => {
    const screen = new FakeScreen();
    const { work, end } = job();
    const running = whileScreenAwake(work, screen);
    await settle();
    screen.setVisible(false);
    await settle();
    expect(screen.held).toBe(0);
    expect(screen.locks).toHaveLength(1);
    screen.setVisible(true);
    await settle();
    expect(screen.held).toBe(1);
    expect(screen.locks).toHaveLength(2);
    end('stored');
    await running;
    await settle();
    // Shown again after the job: nothing is taken.
    screen.setVisible(false);
    screen.setVisible(true);
    await settle();
    expect(screen.locks).toHaveLength(2);
  });

  it('runs the job anyway where the lock is refused or missing', async () => {
    const screen = new FakeScreen();
    screen.refuse = true;
    expect(await whileScreenAwake(async () => 'stored', screen)).toBe('stored');
    const noWakeLock: AwakeHost = {
      visibilityState: 'visible',
      addEventListener: () => undefined,
      removeEventListener: () => undefined,
    };
    expect(await whileScreenAwake(async () => 'stored', noWakeLock)).toBe('stored');
    expect(await whileScreenAwake(async () => 'stored', undefined)).toBe('stored');
  });
});
