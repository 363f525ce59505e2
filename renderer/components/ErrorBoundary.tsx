import { Component, type ErrorInfo, type ReactNode } from 'react';

export interface ErrorBoundaryProps {
  /** What failed, for the message: "this answer", "this run", "this screen". */
  what: string;
  children: ReactNode;
  /** When this value changes, a failed boundary tries its children again (e.g. new text). */
  resetKey?: unknown;
}

interface State {
  error: Error | null;
  resetKey: unknown;
}

/**
 * Keeps one failing part of the window (a column, a run view, a screen) from unmounting the
 * whole app: the part shows what went wrong and a "Try again" button; everything else stays.
 * Saved data is not touched; the failure is logged to the console.
 */
export class ErrorBoundary extends Component<ErrorBoundaryProps, State> {
  override state: State = { error: null, resetKey: this.props.resetKey };

  static getDerivedStateFromError(error: unknown): Partial<State> {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  static getDerivedStateFromProps(props: ErrorBoundaryProps, state: State): Partial<State> | null {
    if (props.resetKey !== state.resetKey) return { resetKey: props.resetKey, error: null };
    return null;
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    console.error(`[parallax] ${this.props.what} failed to render:`, error, info.componentStack);
  }

  override render(): ReactNode {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <div className="error-banner error-boundary" role="alert">
        <strong>Parallax could not show {this.props.what}. Nothing saved was lost.</strong>
        <p>Try again, or open another screen. If it happens again, copy the details below into a bug report.</p>
        <details>
          <summary>Details</summary>
          <pre>{`${error.name}: ${error.message}`.slice(0, 2000)}</pre>
        </details>
        <button type="button" className="button button--small" onClick={() => this.setState({ error: null })}>
          Try again
        </button>
      </div>
    );
  }
}
