import { once } from 'node:events';
import type { Writable } from 'node:stream';

/** Writes text to a stream, waiting for it to drain when its buffer is full (bounded memory). */
export function createTextSink(out: Writable): { write(text: string): Promise<void> } {
  return {
    async write(text: string) {
      if (!out.write(text)) await once(out, 'drain');
    },
  };
}
