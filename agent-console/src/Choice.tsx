/**
 * A labelled select over typed `options`; `none` adds a first choice with the value "" (any,
 * nobody, the default). The value handed to `onChange` is one of the options' (or ""), never
 * whatever the DOM says.
 */
export function Choice<V extends string>(props: { label: string; name: string; value: V | ""; none?: string; options: readonly { value: V; text: string }[]; onChange: (value: V | "") => void }) {
  const { label, name, value, none, options, onChange } = props;
  return (
    <label>
      {label}
      <select name={name} value={value} onChange={(e) => onChange(options.find((o) => o.value === e.target.value)?.value ?? "")}>
        {none !== undefined ? <option value="">{none}</option> : null}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.text}
          </option>
        ))}
      </select>
    </label>
  );
}
