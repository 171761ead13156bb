/**
 * Writes model files into the Origin Private File System with sync access handles: each chunk the
 * page downloads goes straight to its place in the file (no Blob, no copy of the file), so a
 * resumed download appends to what is there. One handle per file stays open while its download
 * runs; `close` releases it before the file is read.
 */
import { OPFS_MODEL_DIR, type WriterReply, type WriterRequest } from './opfs-protocol';
import { assertNever } from '../engine/protocol';

declare const self: DedicatedWorkerGlobalScope;

const handles = new Map<string, FileSystemSyncAccessHandle>();
let folder: Promise<FileSystemDirectoryHandle> | undefined;
const modelDir = () =>
  (folder ??= navigator.storage
    .getDirectory()
    .then((root) => root.getDirectoryHandle(OPFS_MODEL_DIR, { create: true })));

async function open(file: string): Promise<FileSystemSyncAccessHandle> {
  const open = handles.get(file);
  if (open) return open;
  const handle = await (await (await modelDir()).getFileHandle(file, { create: true })).createSyncAccessHandle();
  handles.set(file, handle);
  return handle;
}

function close(file: string): void {
  const handle = handles.get(file);
  if (!handle) return;
  handles.delete(file);
  handle.flush();
  handle.close();
}

/** Whether sync handles work here (missing in some browsers, refused in some private modes). */
async function probe(): Promise<boolean> {
  const name = '.probe';
  try {
    const handle = await open(name);
    handle.write(new Uint8Array([1]), { at: 0 });
    close(name);
    await (await modelDir()).removeEntry(name);
    return true;
  } catch {
    handles.get(name)?.close();
    handles.delete(name);
    return false;
  }
}

async function run(request: WriterRequest): Promise<number | boolean | null> {
  switch (request.kind) {
    case 'probe':
      return probe();
    case 'write': {
      const handle = await open(request.file);
      let at = request.at;
      for (const chunk of request.chunks) {
        const bytes = new Uint8Array(chunk);
        // write() may store fewer bytes than asked (it says how many): go on from there.
        for (let done = 0; done < bytes.length;) {
          const left = bytes.length - done;
          const written = handle.write(bytes.subarray(done), { at: at + done });
          // Chromium's in-memory OPFS (private windows) answers a full disk with base::File's
          // "no space" error code as an unsigned count (2^32 − 8) instead of throwing.
          if (written > left) throw new DOMException('There is no room left to store this file.', 'QuotaExceededError');
          if (written <= 0) throw new DOMException('The file could not be written.', 'InvalidStateError');
          done += written;
        }
        at += bytes.length;
      }
      // No flush per write (it syncs to disk, and the network would wait for it): the handle is
      // flushed when closed, and a resumed download trusts the file's size, not its checkpoint.
      // A write that claimed success but left the file short must not pass for stored bytes.
      if (handle.getSize() < at) throw new DOMException('The file was not fully written.', 'QuotaExceededError');
      return at;
    }
    case 'truncate': {
      const handle = await open(request.file);
      handle.truncate(request.size);
      handle.flush();
      return request.size;
    }
    case 'size': {
      const open = handles.get(request.file);
      if (open) return open.getSize();
      try {
        return (await (await (await modelDir()).getFileHandle(request.file)).getFile()).size;
      } catch {
        return 0;
      }
    }
    case 'close':
      close(request.file);
      return null;
    case 'remove':
      close(request.file);
      await (await modelDir()).removeEntry(request.file).catch((error: unknown) => {
        if (!(error instanceof DOMException && error.name === 'NotFoundError')) throw error;
      });
      return null;
    default:
      return assertNever(request);
  }
}

// Requests run one at a time, in order: a write is never overtaken by the truncate after it.
let queue = Promise.resolve();
self.onmessage = ({ data }: MessageEvent<WriterRequest>) => {
  queue = queue.then(async () => {
    let reply: WriterReply;
    try {
      reply = { kind: 'done', id: data.id, value: await run(data) };
    } catch (error) {
      const name = error instanceof Error ? error.name : 'Error';
      reply = {
        kind: 'failed',
        id: data.id,
        error: { name, message: error instanceof Error ? error.message : String(error) },
      };
    }
    self.postMessage(reply);
  });
};
