import type { RefObject } from 'react';
import type { Draft } from '../../shared/model';
import { effectiveEnvelope } from '../compose/draft-state';
import type { TargetState } from '../target/target-state';
import { DkimFields } from './dkim-fields';
import { dkimErrors, type DkimFormState } from './dkim-state';
import { SenderCheckPanel } from './sender-check-panel';

/** The address in a From header value (`Name <a@b>` or `a@b`), or ''. */
function fromAddress(from: string): string {
  const m = /<([^<>]+)>\s*$/.exec(from) ?? /([^\s<>,]+@[^\s<>,]+)/.exec(from);
  return m ? (m[1] ?? '').trim() : '';
}

/** "Will it pass?" beside the compose form: DKIM signing fields and the sender domain check. */
export function SenderAuthSection({
  draft,
  target,
  domains,
  resolver,
  dkim,
  onDkim,
  keyRef,
  showErrors,
}: {
  draft: Draft;
  target: TargetState;
  domains: string[];
  resolver: string;
  dkim: DkimFormState;
  onDkim: (s: DkimFormState) => void;
  keyRef: RefObject<HTMLTextAreaElement | null>;
  showErrors: boolean;
}) {
  const envelope = effectiveEnvelope(draft);
  const errors = showErrors ? dkimErrors(dkim, keyRef.current?.value ?? '') : {};
  const relay = target.kind === 'host' ? target.host.trim() : '';
  return (
    <section className="send-section" aria-labelledby="send-h-sender">
      <h2 id="send-h-sender" className="section-title">
        Will it pass? SPF, DMARC and DKIM
      </h2>
      <DkimFields state={dkim} onChange={onDkim} keyRef={keyRef} errors={errors} />
      <SenderCheckPanel
        input={{
          mailFrom: envelope.mailFrom,
          from: fromAddress(draft.from) || envelope.mailFrom,
          target: relay || domains[0] || '',
          helo: target.heloName.trim(),
          dkimDomain: dkim.enabled && dkim.domain.trim() ? dkim.domain.trim() : undefined,
          dkimSelector: dkim.enabled && dkim.selector.trim() ? dkim.selector.trim() : undefined,
          resolver,
        }}
      />
    </section>
  );
}
