import { useId, useState } from 'react';
import type { DragEvent } from 'react';
import type { AttachmentInput } from '../../shared/model';

function readAsBase64(file: File): Promise<AttachmentInput> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onerror = () => reject(reader.error ?? new Error(`could not read ${file.name}`));
    reader.onload = () => {
      const url = String(reader.result);
      const comma = url.indexOf(',');
      resolve({ filename: file.name, contentType: file.type || 'application/octet-stream', contentBase64: comma >= 0 ? url.slice(comma + 1) : '' });
    };
    reader.readAsDataURL(file);
  });
}

/** Decoded size of a base64 text, for display. */
export function base64Bytes(b64: string): number {
  const pad = b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0;
  return Math.max(0, Math.floor((b64.length * 3) / 4) - pad);
}

function size(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

/**
 * Attachments by drag and drop, or with the file picker (a plain file input works in Electron and in web
 * mode alike). Files are read in the page as base64; nothing touches the disk.
 */
export function Attachments({ value, onChange }: { value: AttachmentInput[]; onChange: (list: AttachmentInput[]) => void }) {
  const id = useId();
  const [over, setOver] = useState(false);
  const [error, setError] = useState('');

  async function add(files: FileList | null) {
    if (!files || files.length === 0) return;
    try {
      const read = await Promise.all([...files].map(readAsBase64));
      onChange([...value, ...read]);
      setError('');
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  }

  function onDrop(e: DragEvent) {
    e.preventDefault();
    setOver(false);
    void add(e.dataTransfer.files);
  }

  return (
    <div
      className={`dropzone${over ? ' is-over' : ''}`}
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
      data-testid="attachments-dropzone"
    >
      <div className="dropzone-head">
        <span className="field-label">Attachments</span>
        <label htmlFor={id} className="file-button">
          Add files…
        </label>
        <input
          id={id}
          type="file"
          multiple
          className="file-input"
          onChange={(e) => {
            void add(e.target.files);
            e.target.value = '';
          }}
        />
        <span className="muted">or drop files here</span>
      </div>
      {value.length > 0 ? (
        <ul className="attachment-list">
          {value.map((a, i) => (
            <li key={`${a.filename}-${i}`}>
              <span className="mono">{a.filename}</span>
              <span className="muted">
                {a.contentType}, {size(base64Bytes(a.contentBase64))}
              </span>
              <button type="button" className="small-button" aria-label={`Remove ${a.filename}`} onClick={() => onChange(value.filter((_, j) => j !== i))}>
                Remove
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      {error ? <p className="field-error">{error}</p> : null}
    </div>
  );
}
