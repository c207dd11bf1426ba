import { KeyboardEvent, ReactNode, useEffect, useRef, useState } from 'react';
import './organisation.css';

export interface ComboboxProps<T> {
  id: string;
  label: string;
  /** Options for the text typed so far; called after a pause in typing, the stale answers dropped. */
  search: (text: string) => Promise<T[]>;
  optionKey: (option: T) => string;
  /** The option as listed. */
  renderOption: (option: T) => ReactNode;
  /** The option as written in the field once chosen. */
  optionText: (option: T) => string;
  onChoose: (option: T) => void;
  /** Called when the field is edited after a choice: the choice no longer holds. */
  onClear?: () => void;
  /** A multi-select empties the field after each choice. */
  clearOnChoose?: boolean;
  hint?: string;
  required?: boolean;
  /** Typed characters before the first search. */
  minLength?: number;
  invalid?: boolean;
  describedBy?: string;
}

const DEBOUNCE_MS = 250;

/**
 * One field to type a few letters in and pick from what matches, after the WAI-ARIA combobox
 * pattern (an input with a listbox popup): ↓ and ↑ move through the options, Entrée chooses,
 * Échap closes the list (and, when closed, empties the field). The option under focus stays in
 * the input's focus (aria-activedescendant), so a screen reader follows it without focus moves.
 */
export function Combobox<T>(props: ComboboxProps<T>) {
  const { id, label, search, optionKey, renderOption, optionText, onChoose, onClear, clearOnChoose, hint, required, invalid, describedBy } = props;
  const minLength = props.minLength ?? 1;
  const [text, setText] = useState('');
  const [options, setOptions] = useState<T[]>([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [searching, setSearching] = useState(false);
  const [chosen, setChosen] = useState(false);
  const asked = useRef(0);
  const listboxId = `${id}-listbox`;
  const labelId = `${id}-label`;
  const hintId = `${id}-hint`;
  const statusId = `${id}-status`;

  useEffect(() => {
    if (chosen || text.trim().length < minLength) {
      setOptions([]);
      setSearching(false);
      return;
    }
    const ask = ++asked.current;
    setSearching(true);
    const timer = setTimeout(() => {
      search(text.trim())
        .catch(() => [] as T[])
        .then((found) => {
          if (ask !== asked.current) return;
          setOptions(found);
          setActive(found.length ? 0 : -1);
          setSearching(false);
          setOpen(true);
        });
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
    // `search` is a new function on each render of the parent; the text is what asks.
  }, [text, chosen, minLength]);

  const choose = (option: T) => {
    onChoose(option);
    setOpen(false);
    setActive(-1);
    setOptions([]);
    if (clearOnChoose) {
      setText('');
      setChosen(false);
    } else {
      setText(optionText(option));
      setChosen(true);
    }
  };

  const edit = (value: string) => {
    setText(value);
    if (chosen) {
      setChosen(false);
      onClear?.();
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    switch (event.key) {
      case 'ArrowDown':
        event.preventDefault();
        if (!open && options.length) setOpen(true);
        setActive((i) => (options.length ? (i + 1) % options.length : -1));
        break;
      case 'ArrowUp':
        event.preventDefault();
        if (!open && options.length) setOpen(true);
        setActive((i) => (options.length ? (i <= 0 ? options.length - 1 : i - 1) : -1));
        break;
      case 'Enter':
        if (open && active >= 0 && options[active]) {
          event.preventDefault();
          choose(options[active]);
        }
        break;
      case 'Escape':
        if (open) {
          event.preventDefault();
          setOpen(false);
        } else if (text) {
          event.preventDefault();
          edit('');
        }
        break;
      case 'Tab':
        setOpen(false);
        break;
    }
  };

  const expanded = open && options.length > 0;
  const status = searching
    ? 'Recherche…'
    : open && text.trim().length >= minLength
      ? options.length
        ? `${options.length} résultat${options.length > 1 ? 's' : ''} : ↓ ↑ pour parcourir, Entrée pour choisir.`
        : 'Aucun résultat.'
      : '';
  return (
    <div className="combobox">
      <label id={labelId} htmlFor={id}>
        {label}
      </label>
      <input
        id={id}
        type="text"
        role="combobox"
        autoComplete="off"
        aria-autocomplete="list"
        aria-expanded={expanded}
        aria-controls={listboxId}
        aria-activedescendant={expanded && active >= 0 ? `${id}-option-${active}` : undefined}
        aria-describedby={[hint ? hintId : '', statusId, describedBy ?? ''].filter(Boolean).join(' ')}
        aria-invalid={invalid || undefined}
        required={required}
        value={text}
        onChange={(e) => edit(e.target.value)}
        onKeyDown={onKeyDown}
        onBlur={() => setOpen(false)}
        onFocus={() => options.length && !chosen && setOpen(true)}
      />
      {hint && (
        <p id={hintId} className="meta">
          {hint}
        </p>
      )}
      <ul id={listboxId} role="listbox" aria-labelledby={labelId} className="combobox-list" hidden={!expanded}>
        {options.map((option, i) => (
          <li
            key={optionKey(option)}
            id={`${id}-option-${i}`}
            role="option"
            aria-selected={i === active}
            className={i === active ? 'active' : undefined}
            // The input keeps the focus: a click chooses without blurring it first.
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => choose(option)}
          >
            {renderOption(option)}
          </li>
        ))}
      </ul>
      <p id={statusId} className="visually-hidden" aria-live="polite">
        {status}
      </p>
    </div>
  );
}
