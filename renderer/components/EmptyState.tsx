import type { ReactNode } from 'react';
import { Icon, type IconName } from './Icon';

export function EmptyState(props: { icon: IconName; title: string; children: ReactNode; action?: ReactNode }) {
  return (
    <div className="empty-state" role="status">
      <div className="empty-state__icon">
        <Icon name={props.icon} size={28} />
      </div>
      <h2>{props.title}</h2>
      <p>{props.children}</p>
      {props.action}
    </div>
  );
}
