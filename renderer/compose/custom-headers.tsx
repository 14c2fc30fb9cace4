import type { CustomHeader } from '../../shared/model';
import { Field } from '../components/field';

/** Extra header lines (name: value). Names and values are checked by the shared validators. */
export function CustomHeaders({
  value,
  onChange,
  errorFor,
}: {
  value: CustomHeader[];
  onChange: (list: CustomHeader[]) => void;
  errorFor: (index: number, part: 'name' | 'value') => string | undefined;
}) {
  const update = (i: number, patch: Partial<CustomHeader>) => onChange(value.map((h, j) => (j === i ? { ...h, ...patch } : h)));
  return (
    <div className="custom-headers">
      {value.map((h, i) => (
        <div className="field-row custom-header-row" key={i}>
          <Field label={`Header ${i + 1} name`} error={errorFor(i, 'name')} className="field-hname">
            {(p) => <input {...p} type="text" className="mono" placeholder="X-Test" value={h.name} onChange={(e) => update(i, { name: e.target.value })} />}
          </Field>
          <Field label="value" error={errorFor(i, 'value')} className="field-grow">
            {(p) => <input {...p} type="text" value={h.value} onChange={(e) => update(i, { value: e.target.value })} />}
          </Field>
          <button type="button" className="small-button row-remove" aria-label={`Remove header ${i + 1}`} onClick={() => onChange(value.filter((_, j) => j !== i))}>
            Remove
          </button>
        </div>
      ))}
      <button type="button" className="small-button" onClick={() => onChange([...value, { name: '', value: '' }])}>
        Add a header
      </button>
    </div>
  );
}
