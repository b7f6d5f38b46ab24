import { Component, type ReactNode } from 'react';

interface State {
  failed: boolean;
}

/** A render error shows a plain message; the stack stays in the console, never on screen. */
export class ErrorBoundary extends Component<{ children: ReactNode }, State> {
  override state: State = { failed: false };

  static getDerivedStateFromError(): State {
    return { failed: true };
  }

  override componentDidCatch(error: unknown) {
    console.error('Enclave view failed', error);
  }

  override render() {
    if (!this.state.failed) return this.props.children;
    return (
      <main className="fatal" role="alert">
        <h1>This view stopped working</h1>
        <p>Your data is safe; nothing was written. Reload the window to continue.</p>
        <button type="button" className="button" onClick={() => window.location.reload()}>
          Reload
        </button>
      </main>
    );
  }
}
