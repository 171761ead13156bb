/**
 * A FAKE of the OPFS model folder and its sync access handles, in memory, for driving the
 * model-file worker's server in Node. It keeps one handle per file (as OPFS does: a second
 * `open` while one is open fails) and can run out of room the way Chromium's in-memory OPFS does.
 */
import type { ModelFolder, SyncFile } from '../opfs-writer-serve';

export class FakeModelFolder implements ModelFolder {
  files = new Map<string, Uint8Array>();
  openNow = new Set<string>();
  /** Every truncate of a handle, as [file, size]. */
  truncations: [name: string, size: number][] = [];
  /** Bytes a file may hold before writes answer with Chromium's "no space" count. */
  constructor(public room = Infinity) {}

  async open(name: string): Promise<SyncFile> {
    if (this.openNow.has(name)) throw new DOMException('Access handle already open.', 'NoModificationAllowedError');
    this.openNow.add(name);
    if (!this.files.has(name)) this.files.set(name, new Uint8Array(0));
    const { files, openNow, room, truncations } = this;
    let closed = false;
    const bytes = () => files.get(name) ?? new Uint8Array(0);
    const alive = () => {
      if (closed) throw new DOMException('The handle is closed.', 'InvalidStateError');
    };
    return {
      read(into, { at }) {
        alive();
        const part = bytes().subarray(at, at + into.length);
        into.set(part);
        return part.length;
      },
      write(data, { at }) {
        alive();
        if (at + data.length > room) return 2 ** 32 - 8; // base::File's NO_SPACE, unsigned
        const next = new Uint8Array(Math.max(bytes().length, at + data.length));
        next.set(bytes());
        next.set(data, at);
        files.set(name, next);
        return data.length;
      },
      truncate(size) {
        alive();
        truncations.push([name, size]);
        const next = new Uint8Array(size);
        next.set(bytes().subarray(0, size));
        files.set(name, next);
      },
      getSize: () => (alive(), bytes().length),
      flush: () => alive(),
      close() {
        if (closed) return;
        closed = true;
        openNow.delete(name);
      },
    };
  }

  async file(name: string): Promise<Blob> {
    return new Blob([(this.files.get(name) ?? new Uint8Array(0)) as BlobPart]);
  }

  async remove(name: string): Promise<void> {
    if (this.openNow.has(name)) throw new DOMException('The file is open.', 'NoModificationAllowedError');
    this.files.delete(name);
  }
}
