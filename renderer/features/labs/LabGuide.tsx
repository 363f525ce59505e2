import { useState } from 'react';
import type { Lab } from '../../../shared/labs';
import { Icon } from '../../components/Icon';
import './labs.css';

const LEVEL_TEXT: Record<Lab['level'], string> = { intro: 'Intro', intermediate: 'Intermediate' };

export function LevelChip(props: { level: Lab['level'] }) {
  return <span className={`chip lab-level lab-level--${props.level}`}>{LEVEL_TEXT[props.level]}</span>;
}

/** "What to look for" and "Why the mitigation works": shared by the lab dialog and Compare's guide. */
export function LabGuideBody(props: { lab: Lab; headingLevel?: 3 | 4 }) {
  const Heading = props.headingLevel === 4 ? 'h4' : 'h3';
  return (
    <div className="lab-guide__body">
      <section aria-label="What to look for">
        <Heading className="lab-guide__heading">
          <Icon name="eye" size={14} /> What to look for
        </Heading>
        <ul className="lab-guide__list">
          {props.lab.lookFor.map((item) => (
            <li key={item}>{item}</li>
          ))}
        </ul>
      </section>
      <section aria-label="Why the mitigation works">
        <Heading className="lab-guide__heading">
          <Icon name="sparkle" size={14} /> Why the mitigation works
        </Heading>
        <p className="lab-guide__why">{props.lab.whyItWorks}</p>
      </section>
    </div>
  );
}

const GUIDE_KEY = 'parallax.labGuideOpen';

function storedOpen(): boolean {
  try {
    return window.localStorage.getItem(GUIDE_KEY) !== 'false';
  } catch {
    return true;
  }
}

/** Compare's compact, collapsible guide for a draft opened from a guided lab. */
export function LabGuidePanel(props: { lab: Lab }) {
  const [open, setOpen] = useState(storedOpen);
  const toggle = () => {
    const next = !open;
    setOpen(next);
    try {
      window.localStorage.setItem(GUIDE_KEY, String(next));
    } catch {
      // the choice just lasts for this session
    }
  };
  return (
    <section className={`lab-guide ${open ? '' : 'lab-guide--collapsed'}`} aria-label="Lab guide">
      <button type="button" className="lab-guide__toggle" aria-expanded={open} onClick={toggle}>
        <Icon name="chevron" size={14} />
        <span className="lab-guide__label">Lab guide</span>
        <span className="lab-guide__title">{props.lab.title}</span>
        <LevelChip level={props.lab.level} />
      </button>
      {open && <LabGuideBody lab={props.lab} headingLevel={3} />}
    </section>
  );
}
