import { api, Page } from '../../api';
import { Combobox } from './Combobox';

export interface UserRow {
  id: string;
  displayName: string;
  email: string;
  promotion: number | null;
  upp?: string | null;
}

type Role = 'intern' | 'tutor' | 'jury' | 'admin';

const searchUsers = (role: Role | undefined) => async (q: string) =>
  (await api.get<Page<UserRow>>(`/admin/users?${role ? `role=${role}&` : ''}q=${encodeURIComponent(q)}&pageSize=10`)).items;

const describe = (u: UserRow) => (
  <>
    <strong>{u.displayName}</strong> <span className="meta">{[u.email, u.promotion ? `promotion ${u.promotion}` : '', u.upp ?? ''].filter(Boolean).join(' · ')}</span>
  </>
);

interface PickerProps {
  /** The field's id; the label must be unique on the page. */
  id: string;
  label: string;
  role?: Role;
  hint?: string;
  required?: boolean;
}

/** One user, chosen by typing part of a name or e-mail address. */
export function UserPicker({ onPick, ...props }: PickerProps & { onPick: (user: UserRow | null) => void }) {
  return (
    <Combobox<UserRow>
      {...props}
      search={searchUsers(props.role)}
      optionKey={(u) => u.id}
      optionText={(u) => u.displayName}
      renderOption={describe}
      onChoose={onPick}
      onClear={() => onPick(null)}
      hint={props.hint ?? 'Tapez une partie du nom ou de l’adresse e-mail.'}
    />
  );
}

/** Several users: each choice becomes a chip with its « Retirer » button. */
export function UserMultiPicker({ value, onChange, listLabel, ...props }: PickerProps & { value: UserRow[]; onChange: (users: UserRow[]) => void; listLabel: string }) {
  return (
    <div className="multi-picker">
      <Combobox<UserRow>
        {...props}
        search={async (q) => (await searchUsers(props.role)(q)).filter((u) => !value.some((v) => v.id === u.id))}
        optionKey={(u) => u.id}
        optionText={(u) => u.displayName}
        renderOption={describe}
        onChoose={(u) => onChange([...value, u])}
        clearOnChoose
        required={props.required && value.length === 0}
        hint={props.hint ?? 'Tapez une partie du nom, puis Entrée pour ajouter.'}
      />
      {value.length ? (
        <ul className="chips" aria-label={listLabel}>
          {value.map((u) => (
            <li key={u.id}>
              {u.displayName}
              <button type="button" aria-label={`Retirer ${u.displayName}`} title={`Retirer ${u.displayName}`} onClick={() => onChange(value.filter((v) => v.id !== u.id))}>
                ×
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="meta">{listLabel} : aucun pour l’instant.</p>
      )}
    </div>
  );
}
