/**
 * Getting in: the token comes from `?token=` once (then leaves the URL, so it is not bookmarked or
 * shared by accident), from localStorage, or from the login dialog. A main node with --no-auth
 * answers without one, and the dialog never shows.
 */
import { type Api, ApiError } from './api.ts';

type Probe = 'ok' | 'unauthorized';

/** Resolves once the page holds a token the server accepts (or needs none). */
export async function logIn(api: Api, dialog: HTMLDialogElement): Promise<void> {
  const fromUrl = takeTokenFromUrl();
  if (fromUrl) api.token = fromUrl;
  const first = await probe(api);
  if (first === 'ok') return;
  const hadToken = api.token !== null;
  api.token = null;
  await askForToken(
    api,
    dialog,
    hadToken ? 'The saved token was not accepted (it may have been rotated). Enter the current one.' : '',
  );
}

/** Shows the dialog until a token works. */
export function askForToken(api: Api, dialog: HTMLDialogElement, message = ''): Promise<void> {
  const form = dialog.querySelector('form')!;
  const input = dialog.querySelector<HTMLInputElement>('input[name=token]')!;
  const error = dialog.querySelector<HTMLElement>('.login-error')!;
  const button = dialog.querySelector<HTMLButtonElement>('button[type=submit]')!;
  error.textContent = message;
  input.value = '';
  if (!dialog.open) dialog.showModal();
  input.focus();
  return new Promise((resolve) => {
    const onSubmit = async (event: SubmitEvent) => {
      event.preventDefault();
      const token = input.value.trim();
      if (!token) {
        error.textContent = 'Enter the API token.';
        return;
      }
      button.disabled = true;
      error.textContent = 'Checking…';
      api.token = token;
      let result: Probe | Error;
      try {
        result = await probe(api);
      } catch (e) {
        result = e as Error;
      }
      button.disabled = false;
      if (result === 'ok') {
        error.textContent = '';
        form.removeEventListener('submit', onSubmit);
        dialog.close();
        resolve();
        return;
      }
      api.token = null;
      error.textContent =
        result === 'unauthorized'
          ? "Wrong token: the main node did not accept it. It is printed in the main node's banner and kept in its data directory (api.token)."
          : `Cannot reach the main node: ${result.message}`;
      input.select();
    };
    form.addEventListener('submit', onSubmit);
    // Escape would close the dialog and leave a page that can show nothing: keep it open.
    dialog.addEventListener('cancel', (event) => event.preventDefault());
  });
}

async function probe(api: Api): Promise<Probe> {
  try {
    await api.get('/api/v1/cluster/status');
    return 'ok';
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return 'unauthorized';
    throw error;
  }
}

function takeTokenFromUrl(): string | null {
  const url = new URL(location.href);
  const token = url.searchParams.get('token');
  if (token === null) return null;
  url.searchParams.delete('token');
  history.replaceState(history.state, '', url.pathname + url.search + url.hash);
  return token.trim() || null;
}
