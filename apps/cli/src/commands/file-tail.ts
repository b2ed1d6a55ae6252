import { open, stat } from 'node:fs/promises';

/** What was appended to a file since byte `from` (a log being written); empty when nothing new or no file yet. */
export async function readNew(file: string, from: number): Promise<Buffer> {
  const size = (await stat(file).catch(() => null))?.size ?? 0;
  if (size <= from) return Buffer.alloc(0);
  const handle = await open(file, 'r');
  try {
    const buf = Buffer.alloc(size - from);
    const { bytesRead } = await handle.read(buf, 0, buf.length, from);
    return buf.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
