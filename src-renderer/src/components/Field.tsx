import type { InputHTMLAttributes, ReactNode } from 'react';

interface FieldProps {
  /** What the label says; it names the control inside it. */
  label: ReactNode;
  /** The label's classes (`field compact` unless told). */
  className?: string;
  title?: string;
  children: ReactNode;
}

/** A control with its label around it, so the label is the control's accessible name. */
export function Field({ label, className = 'field compact', title, children }: FieldProps) {
  return (
    <label className={className} title={title}>
      {label}
      {children}
    </label>
  );
}

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange' | 'className'>;

/** A labelled text input that reports its value (not the event). */
export function TextField({
  label,
  className,
  title,
  value,
  onChange,
  ...input
}: InputProps & {
  label: ReactNode;
  className?: string;
  value: string;
  onChange: (value: string) => void;
}) {
  return (
    <Field label={label} className={className} title={title}>
      <input {...input} value={value} onChange={(e) => onChange(e.target.value)} />
    </Field>
  );
}

/** A labelled select of fixed options that reports the chosen value. */
export function SelectField<T extends string>({
  label,
  className,
  value,
  onChange,
  options,
}: {
  label: ReactNode;
  className?: string;
  value: T;
  onChange: (value: T) => void;
  options: readonly { value: T; label: string }[];
}) {
  return (
    <Field label={label} className={className}>
      <select value={value} onChange={(e) => onChange(e.target.value as T)}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </Field>
  );
}

/** An SSH login name (at most 32 characters, as the contract takes). */
export function UserField({
  label,
  value,
  onChange,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
}) {
  return (
    <TextField
      label={label}
      value={value}
      onChange={onChange}
      maxLength={32}
      autoComplete="off"
      spellCheck={false}
    />
  );
}
