import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiProvider } from './api-context';
import { App } from './app';
import { connectHost } from './host/connect';

async function start(): Promise<void> {
  const container = document.getElementById('root');
  if (!container) return;
  const root = createRoot(container);
  try {
    const api = await connectHost();
    root.render(
      <StrictMode>
        <ApiProvider api={api}>
          <App />
        </ApiProvider>
      </StrictMode>,
    );
  } catch (err) {
    // No host means no app: say so in one sentence instead of showing an empty window.
    const message = err instanceof Error ? err.message : String(err);
    root.render(
      <main className="startup-error" role="alert">
        <h1>MX Desk could not reach its host</h1>
        <p>{message}</p>
        <p>In web mode, open the exact address that <code>npm run web</code> printed, including its token.</p>
      </main>,
    );
  }
}

void start();
