import type { FieldControlProps } from './field';

export interface Choice<T extends string> {
  value: T;
  label: string;
}

/** A drop-down of fixed choices inside a Field: `control` ties it to the label, error and hint. */
export function ChoiceSelect<T extends string>({ control, value, choices, onChange }: { control: FieldControlProps; value: T; choices: ReadonlyArray<Choice<T>>; onChange: (value: T) => void }) {
  return (
    <select {...control} value={value} onChange={(e) => onChange(e.target.value as T)}>
      {choices.map((c) => (
        <option key={c.value} value={c.value}>
          {c.label}
        </option>
      ))}
    </select>
  );
}
