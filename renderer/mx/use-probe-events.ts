import { useEffect, useRef, useState } from 'react';
import type { SessionEvent } from '../../shared/events';
import type { AddressProbe } from '../../shared/probe/types';
import { useApi } from '../api-context';

/** Streams kept per probe (one per address) and events per stream: a probe's streams are short, but bounded. */
const MAX_STREAMS = 64;
const MAX_EVENTS = 400;

export interface ProbeEvents {
  /** Events of `probe:ID:N`, by N (address index in the matrix order). */
  streams: Map<number, SessionEvent[]>;
  /** Results that arrived so far (live progress). */
  results: AddressProbe[];
}

/**
 * The event streams of probe `probeId` as they arrive from the host: the log of each address probe, and its
 * result as soon as that address is done. `generation` resets them when a new run starts.
 */
export function useProbeEvents(probeId: string, generation: number): ProbeEvents {
  const api = useApi();
  const [state, setState] = useState<ProbeEvents>({ streams: new Map(), results: [] });
  const buffer = useRef<ProbeEvents>({ streams: new Map(), results: [] });
  useEffect(() => {
    buffer.current = { streams: new Map(), results: [] };
    setState(buffer.current);
    const prefix = `probe:${probeId}:`;
    return api.onSessionEvents((events) => {
      let changed = false;
      for (const e of events) {
        if (!e.sessionId.startsWith(prefix)) continue;
        const n = Number(e.sessionId.slice(prefix.length));
        if (!Number.isInteger(n) || n < 0 || n >= MAX_STREAMS) continue;
        const list = buffer.current.streams.get(n) ?? [];
        if (list.length < MAX_EVENTS) list.push(e);
        buffer.current.streams.set(n, list);
        if (e.kind === 'probe_result') buffer.current.results = [...buffer.current.results, e.probe];
        changed = true;
      }
      if (changed) setState({ streams: new Map(buffer.current.streams), results: buffer.current.results });
    });
  }, [api, probeId, generation]);
  return state;
}
