/** A group of checkboxes for competences or familles, with a legend for screen readers. */
export function TagPicker({ legend, options, value, disabled, onChange }: { legend: string; options: Record<string, string>; value: string[]; disabled: boolean; onChange: (value: string[]) => void }) {
  return (
    <fieldset className="tags" disabled={disabled}>
      <legend>{legend}</legend>
      {Object.entries(options).map(([code, label]) => (
        <label key={code} className="check">
          <input
            type="checkbox"
            checked={value.includes(code)}
            onChange={(e) => onChange(e.target.checked ? [...value, code] : value.filter((v) => v !== code))}
          />
          {label}
        </label>
      ))}
    </fieldset>
  );
}
