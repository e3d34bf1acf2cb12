/** One server-sent event as it arrived. */
export interface SseEvent {
  event: string;
  data: string;
  /** Its `id:` line, if it had one. */
  id?: string;
}

/** Reads a text/event-stream response into a list of events (and comment lines) as they arrive. */
export function readEvents(res: Response): { events: SseEvent[]; comments: string[]; stop(): Promise<void> } {
  const events: SseEvent[] = [];
  const comments: string[] = [];
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  void (async () => {
    for (;;) {
      const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        let event = 'message';
        let id: string | undefined;
        const data: string[] = [];
        for (const line of block.split('\n')) {
          if (line.startsWith(':')) comments.push(line.slice(1).trim());
          else if (line.startsWith('event: ')) event = line.slice(7);
          else if (line.startsWith('data: ')) data.push(line.slice(6));
          else if (line.startsWith('id: ')) id = line.slice(4);
        }
        if (data.length > 0) events.push({ event, data: data.join('\n'), ...(id !== undefined ? { id } : {}) });
      }
    }
  })();
  return { events, comments, stop: () => reader.cancel().catch(() => {}) };
}
