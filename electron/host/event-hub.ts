import type { SessionEvent } from '../../shared/events';
import type { BatcherOptions } from './event-batcher';
import { createEventBatcher } from './event-batcher';

/**
 * Fan-out from the engine's single `emit` to every connected page (the Electron window, or each web-mode
 * WebSocket). Each subscriber has its own batcher so a slow one does not hold back the others.
 */
export interface EventHub {
  emit(event: SessionEvent): void;
  subscribe(send: (events: SessionEvent[]) => void): () => void;
  close(): void;
}

export function createEventHub(batcherOptions: BatcherOptions = {}): EventHub {
  const subscribers = new Set<ReturnType<typeof createEventBatcher>>();
  return {
    emit(event) {
      for (const b of subscribers) b.push(event);
    },
    subscribe(send) {
      const batcher = createEventBatcher(send, batcherOptions);
      subscribers.add(batcher);
      return () => {
        subscribers.delete(batcher);
        batcher.discard();
      };
    },
    close() {
      for (const b of subscribers) b.close();
      subscribers.clear();
    },
  };
}
