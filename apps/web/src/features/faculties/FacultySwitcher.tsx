import { KeyboardEvent, useEffect, useRef, useState } from 'react';
import { Me, switchFaculty } from '../../api';
import { ErrorMessage } from '../../components/ErrorMessage';
import { ROLE_LABELS } from '../admin/people';
import './faculties.css';

/** Survives the page load that follows a switch, so the new page can say where the person now is. */
const SWITCHED_KEY = 'carnet.faculte-changee';

/**
 * Where the session works, in the header: a menu of the person's faculties when they belong to
 * several, the faculty's name otherwise; nothing for the national operator, who works in none.
 */
export function FacultyInHeader({ me }: { me: Me }) {
  const announcement = useSwitchAnnouncement();
  const where =
    me.faculties.length > 1 ? (
      <FacultySwitcher me={me} />
    ) : me.faculty ? (
      <span className="faculty-current">
        <span className="visually-hidden">Faculté : </span>
        {me.faculty.name}
      </span>
    ) : null;
  return (
    <div className="faculty-in-header">
      {where}
      <span role="status" className="faculty-switched">
        {announcement}
      </span>
    </div>
  );
}

function useSwitchAnnouncement(): string {
  const [text, setText] = useState('');
  useEffect(() => {
    const name = sessionStorage.getItem(SWITCHED_KEY);
    if (!name) return;
    sessionStorage.removeItem(SWITCHED_KEY);
    // Written after the page is up: a live region's content at load is not announced.
    const timer = setTimeout(() => setText(`Vous travaillez maintenant dans : ${name}.`), 150);
    return () => clearTimeout(timer);
  }, []);
  return text;
}

/**
 * A menu button (WAI-ARIA pattern): Entrée, Espace or ↓ opens it on the current faculty, ↑ ↓
 * Début Fin move, Entrée chooses, Échap closes and gives focus back. Choosing another faculty
 * opens a new session there and loads its home page, so nothing of the other faculty stays on
 * screen or in memory.
 */
function FacultySwitcher({ me }: { me: Me }) {
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const button = useRef<HTMLButtonElement>(null);
  const items = useRef<(HTMLLIElement | null)[]>([]);
  const currentIndex = Math.max(
    0,
    me.faculties.findIndex((f) => f.id === me.faculty?.id),
  );

  useEffect(() => {
    if (open) items.current[active]?.focus();
  }, [open, active]);

  const show = (index: number) => {
    setError(null);
    setActive(index);
    setOpen(true);
  };
  const close = (refocus: boolean) => {
    setOpen(false);
    if (refocus) button.current?.focus();
  };
  const choose = async (index: number) => {
    const faculty = me.faculties[index];
    if (faculty.id === me.faculty?.id) return close(true);
    setBusy(true);
    try {
      await switchFaculty(faculty.id);
      sessionStorage.setItem(SWITCHED_KEY, faculty.name);
      window.location.assign('/');
    } catch (e) {
      setBusy(false);
      setError(e);
      close(true);
    }
  };

  const onButtonKey = (event: KeyboardEvent) => {
    if (event.key === 'ArrowDown' || event.key === 'Enter' || event.key === ' ') show(currentIndex);
    else if (event.key === 'ArrowUp') show(me.faculties.length - 1);
    else return;
    event.preventDefault();
  };
  const onMenuKey = (event: KeyboardEvent) => {
    const last = me.faculties.length - 1;
    switch (event.key) {
      case 'ArrowDown':
        setActive(active === last ? 0 : active + 1);
        break;
      case 'ArrowUp':
        setActive(active === 0 ? last : active - 1);
        break;
      case 'Home':
        setActive(0);
        break;
      case 'End':
        setActive(last);
        break;
      case 'Escape':
        close(true);
        break;
      case 'Enter':
      case ' ':
        void choose(active);
        break;
      case 'Tab':
        close(false);
        return;
      default:
        return;
    }
    event.preventDefault();
  };

  const current = me.faculties[currentIndex];
  return (
    <div
      className="faculty-switcher"
      onBlur={(event) => {
        if (open && !event.currentTarget.contains(event.relatedTarget as Node | null)) setOpen(false);
      }}
    >
      <button
        ref={button}
        type="button"
        id="faculty-switcher-button"
        className="faculty-button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls="faculty-switcher-menu"
        disabled={busy}
        onClick={() => (open ? close(false) : show(currentIndex))}
        onKeyDown={onButtonKey}
      >
        <span className="visually-hidden">Faculté : </span>
        {busy ? 'Changement de faculté…' : current.name}
        <span aria-hidden="true"> ▾</span>
      </button>
      <ul id="faculty-switcher-menu" role="menu" aria-labelledby="faculty-switcher-button" hidden={!open} onKeyDown={onMenuKey}>
        {me.faculties.map((faculty, index) => {
          const isCurrent = index === currentIndex;
          return (
            <li
              key={faculty.id}
              ref={(element) => {
                items.current[index] = element;
              }}
              role="menuitemradio"
              aria-checked={isCurrent}
              tabIndex={-1}
              onClick={() => void choose(index)}
            >
              <span className="faculty-name">{faculty.name}</span>
              <span className="faculty-roles">
                {faculty.roles.map((role) => ROLE_LABELS[role]).join(', ')}
                {isCurrent ? ' — faculté actuelle' : ''}
              </span>
            </li>
          );
        })}
      </ul>
      {error !== null && (
        <div className="faculty-error">
          <ErrorMessage error={error} />
        </div>
      )}
    </div>
  );
}
