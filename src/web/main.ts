/** The dashboard page: log in, then the terminal and the live view side by side (stacked on a phone). */
import { Api } from './api.ts';
import { byId } from './dom.ts';
import { LiveView, type ConnectionState } from './live/live.ts';
import { askForToken, logIn } from './login.ts';
import { Shell } from './shell/shell.ts';
import { createTerminal } from './terminalView.ts';
import { initialTheme, Themes } from './theme.ts';

const CONNECTION_TEXT: Record<ConnectionState, string> = {
  connecting: 'connecting…',
  live: 'live',
  reconnecting: 'reconnecting…',
  down: 'disconnected',
};

async function main(): Promise<void> {
  byId('join-command').textContent = `curl -fsSL ${location.origin}/join.sh | sh -s -- --token <JOIN_TOKEN>`;
  const themes = new Themes(initialTheme());
  const themeButton = byId<HTMLButtonElement>('theme-toggle');
  const showTheme = () => {
    const other = themes.name === 'dark' ? 'light' : 'dark';
    themeButton.textContent = other === 'light' ? '☀ Light' : '☾ Dark';
    themeButton.setAttribute('aria-label', `Switch to the ${other} theme`);
  };
  themes.onChange(showTheme);
  showTheme();
  themeButton.addEventListener('click', () => themes.toggle());

  const api = new Api(Api.storedToken());
  const dialog = byId<HTMLDialogElement>('login');
  const connection = byId('connection');
  try {
    await logIn(api, dialog);
  } catch (error) {
    connection.textContent = `cannot reach the main node: ${(error as Error).message}`;
    connection.dataset.state = 'down';
    return;
  }

  const logout = byId<HTMLButtonElement>('logout');
  // Under --no-auth there is no token to forget.
  logout.hidden = api.token === null;
  logout.addEventListener('click', () => {
    api.token = null;
    location.reload();
  });

  const live = new LiveView(api);
  live.onConnection = (state) => {
    connection.textContent = CONNECTION_TEXT[state];
    connection.dataset.state = state;
  };
  api.onUnauthorized = () => {
    if (dialog.open) return;
    live.stop();
    void askForToken(
      api,
      dialog,
      'The main node no longer accepts the token (was it rotated?). Enter the current one.',
    ).then(() => {
      logout.hidden = false;
      live.start();
      term.focus();
    });
  };

  const term = createTerminal(byId('term-host'), themes);
  const shell = new Shell(term, api, themes, storage());
  shell.greet();
  live.start();
  term.focus();
}

function storage(): Storage | null {
  try {
    return localStorage;
  } catch {
    return null;
  }
}

void main();
