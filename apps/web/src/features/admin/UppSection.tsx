import { FormEvent, useState } from 'react';
import { api } from '../../api';
import { ErrorMessage } from '../../components/ErrorMessage';
import { useRouter } from '../../router';
import { Upp, useUpps } from './people';

/** The UPP (unités pédagogiques de proximité): the import and every user refer to one by its code. */
export function UppSection() {
  const { search } = useRouter();
  const { upps, reload } = useUpps();
  const [code, setCode] = useState(search.get('code') ?? '');
  const [name, setName] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [created, setCreated] = useState<Upp | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setCreated(null);
    try {
      const upp = await api.post<Upp>('/admin/upps', { code: code.trim().toLowerCase(), name });
      setCreated(upp);
      setCode('');
      setName('');
      reload();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <>
      <section className="card" aria-labelledby="upp-title">
        <h2 id="upp-title">Unités pédagogiques de proximité</h2>
        {upps.length === 0 ? (
          <p>Aucune UPP pour l’instant : créez celles de votre subdivision avant d’importer les utilisateurs.</p>
        ) : (
          <table>
            <caption className="visually-hidden">UPP existantes</caption>
            <thead>
              <tr>
                <th scope="col">Code</th>
                <th scope="col">Nom</th>
              </tr>
            </thead>
            <tbody>
              {upps.map((upp) => (
                <tr key={upp.id}>
                  <td>
                    <code>{upp.code}</code>
                  </td>
                  <td>{upp.name}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <form className="card" onSubmit={submit} aria-labelledby="upp-new-title">
        <h2 id="upp-new-title">Nouvelle UPP</h2>
        <div className="row">
          <div>
            <label htmlFor="upp-code">Code</label>
            <input id="upp-code" required pattern="[a-z0-9][a-z0-9_\-]{0,62}" aria-describedby="upp-code-help" value={code} onChange={(e) => setCode(e.target.value)} />
          </div>
          <div className="grow">
            <label htmlFor="upp-name">Nom</label>
            <input id="upp-name" required maxLength={200} value={name} onChange={(e) => setName(e.target.value)} />
          </div>
          <button type="submit" className="primary">
            Créer l’UPP
          </button>
        </div>
        <p id="upp-code-help" className="meta">
          Le code, en minuscules sans accent (ex. <code>montpellier</code>), est celui de la colonne « upp » du fichier d’import.
        </p>
        <ErrorMessage error={error} />
        {created && (
          <p role="status" className="alert success">
            UPP « {created.name} » créée (code <code>{created.code}</code>).
          </p>
        )}
      </form>
    </>
  );
}
