import { FormEvent, useState } from 'react';
import { api, ApiError, Page, request } from '../../api';
import { ErrorMessage } from '../../components/ErrorMessage';
import { UserPicker, UserRow } from './UserPicker';

export function TutorshipsSection() {
  const [tutor, setTutor] = useState<UserRow | null>(null);
  const [intern, setIntern] = useState<UserRow | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setMessage(null);
    setError(null);
    if (!tutor || !intern) return setError(new Error('Choisissez un tuteur et un interne.'));
    try {
      await api.post('/tutorships', { tutorId: tutor.id, internId: intern.id });
      setMessage(`${tutor.displayName} est désormais tuteur de ${intern.displayName}.`);
    } catch (e) {
      if (e instanceof ApiError && e.problem.code === 'tutor_already_has_promotion_tutee') {
        setError(new Error(`${e.problem.detail} Chaque MSU suit au plus un interne par promotion, tout au long du DES : choisissez un autre tuteur, ou mettez fin au tutorat en cours.`));
      } else setError(e);
    }
  };
  return (
    <form className="card" onSubmit={submit} aria-labelledby="tutorship-title">
      <h2 id="tutorship-title">Attribuer un tuteur</h2>
      <div className="row">
        <UserPicker id="tutor" label="Tuteur (MSU)" role="tutor" onPick={setTutor} />
        <UserPicker id="intern" label="Interne" role="intern" onPick={setIntern} />
      </div>
      <button type="submit" className="primary">
        Attribuer
      </button>
      <ErrorMessage error={error} />
      {message && <p role="status">{message}</p>}
    </form>
  );
}

