/** A model picker with a "default" choice (the step then uses the model named in `defaultLabel`). */
export function ModelSelect(props: {
  label: string;
  value: string | undefined;
  models: readonly { id: string; name: string }[];
  defaultLabel: string;
  onChange(modelId: string | undefined): void;
}) {
  const known = props.models.some((m) => m.id === props.value);
  return (
    <label className="step-editor__field">
      <span>{props.label}</span>
      <select aria-label={props.label} value={props.value ?? ''} onChange={(e) => props.onChange(e.target.value === '' ? undefined : e.target.value)}>
        <option value="">{props.defaultLabel}</option>
        {props.value && !known && <option value={props.value}>{props.value}</option>}
        {props.models.map((m) => (
          <option key={m.id} value={m.id} title={m.id}>
            {m.name}
          </option>
        ))}
      </select>
    </label>
  );
}
