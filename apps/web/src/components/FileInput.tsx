import { ChangeEvent, useId, useState } from 'react';

interface Props {
  id: string;
  label: string;
  accept?: string;
  onFile: (file: File) => void;
}

/**
 * A file field that speaks French whatever the browser's language: the native input (kept, so
 * keyboard, drag and tests work as usual) is hidden behind « Choisir un fichier » and the name chosen.
 */
export function FileInput({ id, label, accept, onFile }: Props) {
  const [name, setName] = useState<string | null>(null);
  const chosenId = useId();
  const change = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    if (!file) return;
    setName(file.name);
    onFile(file);
    event.target.value = ''; // the same file may be sent again after a refusal
  };
  return (
    <div className="file-input">
      <label htmlFor={id}>{label}</label>
      <input id={id} type="file" accept={accept} onChange={change} aria-describedby={chosenId} />
      <span className="file-button" aria-hidden="true">
        Choisir un fichier…
      </span>
      <span id={chosenId} className="file-chosen">
        {name ?? 'Aucun fichier choisi'}
      </span>
    </div>
  );
}
