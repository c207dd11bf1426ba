import { FormEvent, useState } from 'react';
import { api, ApiError, Page, request } from '../../api';
import { ErrorMessage } from '../../components/ErrorMessage';

export interface UserRow {
  id: string;
  displayName: string;
  email: string;
  promotion: number | null;
}

export function UserPicker({ id, label, role, onPick }: { id: string; label: string; role: string; onPick: (user: UserRow | null) => void }) {
  const [q, setQ] = useState('');
  const [options, setOptions] = useState<UserRow[]>([]);
  const search = async (value: string) => {
    setQ(value);
    if (value.trim().length < 2) return setOptions([]);
    const page = await api.get<Page<UserRow>>(`/admin/users?role=${role}&q=${encodeURIComponent(value)}&pageSize=10`).catch(() => null);
    setOptions(page?.items ?? []);
  };
  return (
    <div>
      <label htmlFor={`${id}-search`}>{label} (nom ou e-mail)</label>
      <input id={`${id}-search`} value={q} onChange={(e) => void search(e.target.value)} />
      <label htmlFor={id} className="visually-hidden">
        {label} : choix
      </label>
      <select id={id} onChange={(e) => onPick(options.find((o) => o.id === e.target.value) ?? null)} defaultValue="">
        <option value="">— choisir —</option>
        {options.map((o) => (
          <option key={o.id} value={o.id}>
            {o.displayName} ({o.email}{o.promotion ? `, promotion ${o.promotion}` : ''})
          </option>
        ))}
      </select>
    </div>
  );
}

