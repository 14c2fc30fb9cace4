import { useId, useState } from 'react';
import type { TlsVersionName } from '../../shared/model';
import { ChoiceSelect } from '../components/choice-select';
import type { Choice } from '../components/choice-select';
import { Field } from '../components/field';
import { AdvancedProtocol } from './advanced-protocol';
import type { AdvancedState } from './advanced-state';
import { advancedCount, advancedSetNames } from './advanced-state';

const FAMILIES: Array<Choice<AdvancedState['family']>> = [
  { value: 'auto', label: 'Any (IPv6 and IPv4)' },
  { value: '4', label: 'IPv4 only (-4)' },
  { value: '6', label: 'IPv6 only (-6)' },
];

const PROXY_PROTOCOLS: Array<Choice<AdvancedState['proxyProtocol']>> = [
  { value: '', label: 'Off' },
  { value: 'v1', label: 'v1 (text)' },
  { value: 'v2', label: 'v2 (binary)' },
];

const VERSIONS: Array<Choice<'' | TlsVersionName>> = [
  { value: '', label: 'Node’s default' },
  { value: 'TLSv1', label: 'TLS 1.0' },
  { value: 'TLSv1.1', label: 'TLS 1.1' },
  { value: 'TLSv1.2', label: 'TLS 1.2' },
  { value: 'TLSv1.3', label: 'TLS 1.3' },
];

/** A path or text option: one input, its validator message under it. */
function TextOption({ label, value, error, hint, placeholder, onChange, grow = true }: { label: string; value: string; error?: string; hint?: string; placeholder?: string; onChange: (v: string) => void; grow?: boolean }) {
  return (
    <Field label={label} error={error} hint={hint} className={grow ? 'field-grow' : undefined}>
      {(p) => <input {...p} type="text" className="mono" spellCheck={false} autoComplete="off" placeholder={placeholder} value={value} onChange={(e) => onChange(e.target.value)} />}
    </Field>
  );
}

/**
 * The collapsible "Advanced" part of the target form: how to connect (family, local address, UNIX socket,
 * proxy, PROXY header), TLS client controls, and protocol options. Closed by default; when closed it says how
 * many options are set. It stays open while an option is invalid, so the message stays in view.
 */
export function AdvancedSection({ value, onChange, errors }: { value: AdvancedState; onChange: (a: AdvancedState) => void; errors: { readonly [key: `advanced.${string}`]: string | undefined } }) {
  const [userOpen, setUserOpen] = useState(false);
  const bodyId = useId();
  const count = advancedCount(value);
  const invalid = Object.entries(errors).filter(([k, v]) => k.startsWith('advanced.') && v).length;
  const open = userOpen || invalid > 0;
  const set = <K extends keyof AdvancedState>(key: K, v: AdvancedState[K]) => onChange({ ...value, [key]: v });
  const err = (k: string) => errors[`advanced.${k}`];
  const summary = [count === 0 ? 'none set' : count === 1 ? '1 option set' : `${count} options set`, invalid > 0 ? `${invalid} invalid` : ''].filter(Boolean).join(', ');
  return (
    <div className={`advanced${open ? ' is-open' : ''}`}>
      <button type="button" className="advanced-toggle" aria-expanded={open} aria-controls={bodyId} onClick={() => setUserOpen(!open)}>
        <span className="advanced-caret" aria-hidden="true">
          {open ? '▾' : '▸'}
        </span>
        Advanced
        {!open && count > 0 ? <span className="advanced-names">{advancedSetNames(value).join(', ')}</span> : null}
        <span className={`advanced-count${invalid > 0 ? ' is-invalid' : count > 0 ? ' is-set' : ''}`}>{summary}</span>
      </button>
      <div id={bodyId} className="advanced-body" hidden={!open}>
        <fieldset className="advanced-group">
          <legend className="section-title">Connection</legend>
          <div className="field-row advanced-row">
            <Field label="Address family" error={err('family')} className="field-family">
              {(p) => <ChoiceSelect control={p} value={value.family} choices={FAMILIES} onChange={(v) => set('family', v)} />}
            </Field>
            <TextOption label="Local address" value={value.localAddress} error={err('localAddress')} placeholder="ADDR[:PORT] or *:PORT" onChange={(v) => set('localAddress', v)} />
          </div>
          <TextOption label="UNIX socket" value={value.socketPath} error={err('socketPath')} placeholder="/run/dovecot/lmtp" hint="instead of a TCP connection; the server name above then only names the peer" onChange={(v) => set('socketPath', v)} />
          <TextOption label="Proxy" value={value.proxy} error={err('proxy')} placeholder="socks5://127.0.0.1:1080 or http://proxy:3128" onChange={(v) => set('proxy', v)} />
          <div className="field-row advanced-row">
            <Field label="PROXY protocol" error={err('proxyProtocol')} className="field-family">
              {(p) => <ChoiceSelect control={p} value={value.proxyProtocol} choices={PROXY_PROTOCOLS} onChange={(v) => set('proxyProtocol', v)} />}
            </Field>
            <TextOption label="Announced source" value={value.proxySource} error={err('proxySource')} placeholder="ADDR:PORT" hint="default: this end of the connection" onChange={(v) => set('proxySource', v)} />
          </div>
        </fieldset>
        <fieldset className="advanced-group">
          <legend className="section-title">TLS</legend>
          <TextOption label="TLS name" value={value.tlsName} error={err('tlsName')} placeholder="the server name" hint="SNI and the name the certificate is verified against; an IP literal is never sent as SNI (RFC 6066 §3)" onChange={(v) => set('tlsName', v)} />
          <TextOption label="CA bundle" value={value.caFile} error={err('caFile')} placeholder="/path/to/ca.pem" hint="trusted instead of the built-in roots" onChange={(v) => set('caFile', v)} />
          <div className="field-row advanced-row">
            <TextOption label="Client certificate" value={value.certFile} error={err('certFile')} placeholder="cert.pem" onChange={(v) => set('certFile', v)} />
            <TextOption label="Client key" value={value.keyFile} error={err('keyFile')} placeholder="key.pem" hint="read by the engine only; never shown or logged" onChange={(v) => set('keyFile', v)} />
          </div>
          <div className="field-row advanced-row">
            <Field label="Minimum TLS version" error={err('tlsMin')} className="field-family">
              {(p) => <ChoiceSelect control={p} value={value.tlsMin} choices={VERSIONS} onChange={(v) => set('tlsMin', v)} />}
            </Field>
            <Field label="Maximum TLS version" error={err('tlsMax')} className="field-family">
              {(p) => <ChoiceSelect control={p} value={value.tlsMax} choices={VERSIONS} onChange={(v) => set('tlsMax', v)} />}
            </Field>
          </div>
          <TextOption label="Cipher list" value={value.ciphers} error={err('ciphers')} placeholder="ECDHE-RSA-AES128-GCM-SHA256:TLS_AES_128_GCM_SHA256" onChange={(v) => set('ciphers', v)} />
        </fieldset>
        <AdvancedProtocol value={value} onChange={onChange} err={err} />
      </div>
    </div>
  );
}
